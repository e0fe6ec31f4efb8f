// Services in containers through Testcontainers (DESIGN §7), from images already on the Docker
// Engine: there is no registry to pull from, so a missing image is named, never fetched.
import process from 'node:process';

// Ryuk, Testcontainers' reaper, is itself an image from the registry; whoever starts a container
// here stops it (the set-up does so when the suites end, or on Ctrl-C).
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';

/** Testcontainers' runtime client, or the reason there is none. Loaded only when it is needed. */
async function runtime() {
  const testcontainers = await import('testcontainers');
  try {
    return { testcontainers, client: await testcontainers.getContainerRuntimeClient() };
  } catch (error) {
    return { testcontainers, reason: `no Docker Engine is reachable (${error.message.split('\n')[0]})` };
  }
}

/**
 * Starts `image` (which the env variable `imageVariable` may name) with `port` published on a random
 * host port, once its log says `ready`. Returns { host, port, stop }, or { reason } when Docker or
 * the image is not there.
 */
export async function startContainer({ image, imageVariable, port, env = {}, command = [], ready }) {
  const { testcontainers, client, reason } = await runtime();
  if (!client) return { reason };
  if (!(await client.image.exists(testcontainers.ImageName.fromString(image)))) {
    return { reason: `the Docker Engine has no image ${image} (${imageVariable} names another)` };
  }
  let definition = new testcontainers.GenericContainer(image)
    .withPullPolicy({ shouldPull: () => false })
    .withExposedPorts(port)
    .withEnvironment(env)
    .withWaitStrategy(testcontainers.Wait.forLogMessage(ready));
  if (command.length > 0) definition = definition.withCommand(command);
  const container = await definition.start();
  return {
    host: container.getHost(),
    port: container.getMappedPort(port),
    stop: async () => {
      await container.stop();
    },
  };
}
