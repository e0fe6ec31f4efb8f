// Debian's packages, installed by `make test`'s set-up when it runs as root on Debian (DESIGN §7).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import process from 'node:process';

/** Other installs (unattended upgrades, a second suite) may hold dpkg's lock: wait, don't fail. */
const APT = ['-o', 'DPkg::Lock::Timeout=600', '-qq'];

/** True where this process may install Debian packages itself. */
export function canInstallPackages() {
  return process.getuid?.() === 0 && existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
}

/** The packages of `names` that dpkg does not list as installed. */
export function missingPackages(names) {
  return names.filter((name) => {
    const status = spawnSync('dpkg-query', ['-W', '-f', '${Status}', name], { encoding: 'utf8' });
    return status.status !== 0 || !status.stdout.includes('install ok installed');
  });
}

/** Installs the packages (after refreshing the package lists); only apt's errors are shown. */
export function installPackages(names) {
  if (names.length === 0) return;
  const options = {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    stdio: ['ignore', 'ignore', 2],
  };
  try {
    execFileSync('apt-get', [...APT, 'update'], options);
    execFileSync('apt-get', [...APT, 'install', '-y', ...names], options);
  } catch (error) {
    throw new Error(`apt-get could not install ${names.join(' ')}: ${error.message.split('\n')[0]}`, {
      cause: error,
    });
  }
}
