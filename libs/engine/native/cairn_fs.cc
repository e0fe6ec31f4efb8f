// File-system calls Node does not offer, for restoring and capturing everything a file carries:
// *at() calls relative to a directory handle that never follow a symlink, nanosecond and pre-1970
// times, extended attributes, and writes that leave zero pages as holes. Every call is synchronous
// (the restorer makes them in worker threads or in batches) and throws a Node-style system error
// (code, errno, syscall, path) when the kernel refuses.
#include <napi.h>
#include <uv.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <vector>
#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#define CAIRN_HAVE_OPENAT2 1
#endif

namespace {

// Holes can only be made for whole pages of the file; 4 KiB is the page and block size on Linux.
constexpr int64_t kPage = 4096;

Napi::Value ThrowErrno(Napi::Env env, int err, const char *syscall, const std::string &path = "") {
  const char *code = uv_err_name(-err);
  std::string message = std::string(code) + ": " + uv_strerror(-err) + ", " + syscall;
  if (!path.empty()) message += " '" + path + "'";
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  error.Set("errno", Napi::Number::New(env, -err));
  error.Set("syscall", Napi::String::New(env, syscall));
  if (!path.empty()) error.Set("path", Napi::String::New(env, path));
  error.ThrowAsJavaScriptException();
  return env.Undefined();
}

Napi::Value ThrowType(Napi::Env env, const std::string &message) {
  Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
  return env.Undefined();
}

bool IntArg(const Napi::CallbackInfo &info, size_t i, int64_t *out) {
  if (i >= info.Length() || !info[i].IsNumber()) {
    ThrowType(info.Env(), "argument " + std::to_string(i) + " must be a number");
    return false;
  }
  *out = info[i].As<Napi::Number>().Int64Value();
  return true;
}

bool BigIntArg(const Napi::CallbackInfo &info, size_t i, int64_t *out) {
  bool lossless = false;
  if (i < info.Length() && info[i].IsBigInt()) *out = info[i].As<Napi::BigInt>().Int64Value(&lossless);
  if (!lossless) ThrowType(info.Env(), "argument " + std::to_string(i) + " must be a 64-bit bigint");
  return lossless;
}

// A name or path, as a Buffer (any bytes Linux allows) or a string; NUL cannot be passed to the kernel.
bool BytesArg(const Napi::CallbackInfo &info, size_t i, std::string *out) {
  if (i < info.Length() && info[i].IsBuffer()) {
    auto buffer = info[i].As<Napi::Buffer<char>>();
    out->assign(buffer.Data(), buffer.Length());
  } else if (i < info.Length() && info[i].IsString()) {
    *out = info[i].As<Napi::String>().Utf8Value();
  } else {
    ThrowType(info.Env(), "argument " + std::to_string(i) + " must be a Buffer or a string");
    return false;
  }
  if (out->find('\0') != std::string::npos) {
    ThrowType(info.Env(), "argument " + std::to_string(i) + " must not contain NUL");
    return false;
  }
  return true;
}

Napi::Buffer<char> BufferArg(const Napi::CallbackInfo &info, size_t i, bool *ok) {
  *ok = i < info.Length() && info[i].IsBuffer();
  if (!*ok) {
    ThrowType(info.Env(), "argument " + std::to_string(i) + " must be a Buffer");
    return Napi::Buffer<char>();
  }
  return info[i].As<Napi::Buffer<char>>();
}

#define INT_ARG(name, i)                                                                                   \
  int64_t name = 0;                                                                                          \
  if (!IntArg(info, i, &name)) return env.Undefined();
#define BIGINT_ARG(name, i)                                                                                \
  int64_t name = 0;                                                                                          \
  if (!BigIntArg(info, i, &name)) return env.Undefined();
#define BYTES_ARG(name, i)                                                                                 \
  std::string name;                                                                                        \
  if (!BytesArg(info, i, &name)) return env.Undefined();

// openat(dirFd, path, flags, mode) → fd. O_CLOEXEC is always added.
Napi::Value OpenAt(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  INT_ARG(dirFd, 0);
  BYTES_ARG(path, 1);
  INT_ARG(flags, 2);
  INT_ARG(mode, 3);
  int fd = openat(dirFd, path.c_str(), flags | O_CLOEXEC, mode);
  if (fd < 0) return ThrowErrno(env, errno, "openat", path);
  return Napi::Number::New(env, fd);
}

// The component-by-component equivalent of openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), for kernels
// before 5.6 and sandboxes that refuse the newer call.
int OpenBeneathByComponents(int rootFd, const std::string &path, int flags, int mode) {
  int dirFd = rootFd;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    std::string component = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (component == "..") {
      if (dirFd != rootFd) close(dirFd);
      errno = EXDEV;
      return -1;
    }
    bool last = slash == std::string::npos;
    int next = last ? openat(dirFd, component.empty() ? "." : component.c_str(), flags | O_NOFOLLOW, mode)
                    : openat(dirFd, component.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int saved = errno;
    if (dirFd != rootFd) close(dirFd);
    errno = saved;
    if (next < 0 || last) return next;
    dirFd = next;
    start = slash + 1;
  }
}

// openBeneath(rootFd, path, flags, mode) → fd: opens a relative path below rootFd without following a
// symlink in any component (the last included) and without climbing above rootFd. "" opens rootFd itself.
Napi::Value OpenBeneath(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  INT_ARG(rootFd, 0);
  BYTES_ARG(path, 1);
  INT_ARG(flags, 2);
  INT_ARG(mode, 3);
  int allFlags = static_cast<int>(flags) | O_CLOEXEC;
  int fd = -1;
  bool fallback = true;
#ifdef CAIRN_HAVE_OPENAT2
  struct open_how how;
  memset(&how, 0, sizeof how);
  how.flags = static_cast<uint64_t>(allFlags);
  how.mode = (allFlags & (O_CREAT | O_TMPFILE)) ? static_cast<uint64_t>(mode) : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  fd = static_cast<int>(syscall(SYS_openat2, rootFd, path.empty() ? "." : path.c_str(), &how, sizeof how));
  // ENOSYS: an older kernel; EPERM: a seccomp profile that predates the call; EAGAIN: a concurrent
  // rename made the kernel give up. The walk below gives the same guarantee.
  fallback = fd < 0 && (errno == ENOSYS || errno == EPERM || errno == EAGAIN);
#endif
  if (fallback) fd = OpenBeneathByComponents(rootFd, path, allFlags, mode);
  if (fd < 0) return ThrowErrno(env, errno, "openat", path);
  return Napi::Number::New(env, fd);
}

// close(fd), for handles opened here: a worker thread's fs.closeSync warns about fds it did not open.
Napi::Value Close(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  INT_ARG(fd, 0);
  if (close(fd) < 0 && errno != EINTR) return ThrowErrno(env, errno, "close");
  return env.Undefined();
}

Napi::Value MkdirAt(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  INT_ARG(dirFd, 0);
  BYTES_ARG(name, 1);
  INT_ARG(mode, 2);
  if (mkdirat(dirFd, name.c_str(), mode) < 0) return ThrowErrno(env, errno, "mkdirat", name);
  return env.Undefined();
}

// symlinkat(target, dirFd, name)
Napi::Value SymlinkAt(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  BYTES_ARG(target, 0);
  INT_ARG(dirFd, 1);
  BYTES_ARG(name, 2);
  if (symlinkat(target.c_str(), dirFd, name.c_str()) < 0) return ThrowErrno(env, errno, "symlinkat", name);
  return env.Undefined();
}

// mknodat(dirFd, name, mode, rdev): mode holds the type (S_IFIFO, S_IFCHR, S_IFBLK) and permissions.
Napi::Value MknodAt(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  INT_ARG(dirFd, 0);
  BYTES_ARG(name, 1);
  INT_ARG(mode, 2);
  BIGINT_ARG(rdev, 3);
  if (mknodat(dirFd, name.c_str(), mode, static_cast<dev_t>(rdev)) < 0)
    return ThrowErrno(env, errno, "mknodat", name);
  return env.Undefined();
}

// linkat(oldDirFd, oldName, newDirFd, newName): a symlink at oldName is linked itself, not followed.
Napi::Value LinkAt(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  INT_ARG(oldDirFd, 0);
  BYTES_ARG(oldName, 1);
  INT_ARG(newDirFd, 2);
  BYTES_ARG(newName, 3);
  if (linkat(oldDirFd, oldName.c_str(), newDirFd, newName.c_str(), 0) < 0)
    return ThrowErrno(env, errno, "linkat", newName);
  return env.Undefined();
}

Napi::Value UnlinkAt(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  INT_ARG(dirFd, 0);
  BYTES_ARG(name, 1);
  INT_ARG(flags, 2);
  if (unlinkat(dirFd, name.c_str(), flags) < 0) return ThrowErrno(env, errno, "unlinkat", name);
  return env.Undefined();
}

Napi::Value FchownAt(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  INT_ARG(dirFd, 0);
  BYTES_ARG(name, 1);
  INT_ARG(uid, 2);
  INT_ARG(gid, 3);
  INT_ARG(flags, 4);
  if (fchownat(dirFd, name.c_str(), uid, gid, flags) < 0) return ThrowErrno(env, errno, "fchownat", name);
  return env.Undefined();
}

// fchmodat(dirFd, name, mode, flags): with AT_SYMLINK_NOFOLLOW the C library goes through an O_PATH
// handle, so a symlink swapped in is refused (EOPNOTSUPP) rather than followed.
Napi::Value FchmodAt(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  INT_ARG(dirFd, 0);
  BYTES_ARG(name, 1);
  INT_ARG(mode, 2);
  INT_ARG(flags, 3);
  if (fchmodat(dirFd, name.c_str(), mode, flags) < 0) return ThrowErrno(env, errno, "fchmodat", name);
  return env.Undefined();
}

bool TimespecArgs(const Napi::CallbackInfo &info, size_t first, struct timespec times[2]) {
  for (int i = 0; i < 2; i++) {
    int64_t sec = 0, nsec = 0;
    if (!BigIntArg(info, first + 2 * i, &sec) || !IntArg(info, first + 2 * i + 1, &nsec)) return false;
    if (nsec < 0 || nsec > 999999999) {
      ThrowType(info.Env(), "nanoseconds must be between 0 and 999999999");
      return false;
    }
    times[i].tv_sec = static_cast<time_t>(sec);
    times[i].tv_nsec = static_cast<long>(nsec);
  }
  return true;
}

// utimensat(dirFd, name, atimeSec, atimeNsec, mtimeSec, mtimeNsec, flags): seconds are bigints and may be
// negative (before 1970); nanoseconds are 0–999999999.
Napi::Value UtimensAt(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  INT_ARG(dirFd, 0);
  BYTES_ARG(name, 1);
  struct timespec times[2];
  if (!TimespecArgs(info, 2, times)) return env.Undefined();
  INT_ARG(flags, 6);
  if (utimensat(dirFd, name.c_str(), times, flags) < 0) return ThrowErrno(env, errno, "utimensat", name);
  return env.Undefined();
}

// futimens(fd, atimeSec, atimeNsec, mtimeSec, mtimeNsec)
Napi::Value Futimens(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  INT_ARG(fd, 0);
  struct timespec times[2];
  if (!TimespecArgs(info, 1, times)) return env.Undefined();
  if (futimens(fd, times) < 0) return ThrowErrno(env, errno, "futimens");
  return env.Undefined();
}

// lgetxattrs(path) → [name, value][] of every extended attribute of the entry itself (a symlink is not
// followed), POSIX ACLs included; [] where the file system has none.
Napi::Value LgetXattrs(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  BYTES_ARG(path, 0);
  std::vector<char> names;
  while (true) {
    ssize_t size = llistxattr(path.c_str(), nullptr, 0);
    if (size < 0 && (errno == ENOTSUP)) return Napi::Array::New(env);
    if (size < 0) return ThrowErrno(env, errno, "llistxattr", path);
    names.resize(size);
    if (size == 0) break;
    size = llistxattr(path.c_str(), names.data(), names.size());
    if (size >= 0) {
      names.resize(size);
      break;
    }
    if (errno != ERANGE) return ThrowErrno(env, errno, "llistxattr", path);
  }
  Napi::Array result = Napi::Array::New(env);
  uint32_t count = 0;
  std::vector<char> value;
  for (size_t at = 0; at < names.size();) {
    std::string name(names.data() + at);
    at += name.size() + 1;
    ssize_t size;
    while (true) {
      size = lgetxattr(path.c_str(), name.c_str(), nullptr, 0);
      if (size < 0) break;
      value.resize(size);
      size = size == 0 ? 0 : lgetxattr(path.c_str(), name.c_str(), value.data(), value.size());
      if (size >= 0 || errno != ERANGE) break;
    }
    if (size < 0 && errno == ENODATA) continue;  // removed since it was listed
    if (size < 0) return ThrowErrno(env, errno, "lgetxattr", path);
    Napi::Array pair = Napi::Array::New(env, 2);
    pair.Set(0u, Napi::Buffer<char>::Copy(env, name.data(), name.size()));
    pair.Set(1u, Napi::Buffer<char>::Copy(env, value.data(), size));
    result.Set(count++, pair);
  }
  return result;
}

// fsetxattr(fd, name, value)
Napi::Value FsetXattr(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  INT_ARG(fd, 0);
  BYTES_ARG(name, 1);
  bool ok;
  auto value = BufferArg(info, 2, &ok);
  if (!ok) return env.Undefined();
  if (fsetxattr(fd, name.c_str(), value.Data(), value.Length(), 0) < 0)
    return ThrowErrno(env, errno, "fsetxattr", name);
  return env.Undefined();
}

// setxattrAt(dirFd, entry, name, value): for entries that cannot be opened (symlinks, fifos, devices).
// /proc/self/fd/<dirFd> leads to the directory itself, and lsetxattr does not follow `entry`.
Napi::Value SetXattrAt(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  INT_ARG(dirFd, 0);
  BYTES_ARG(entry, 1);
  BYTES_ARG(name, 2);
  bool ok;
  auto value = BufferArg(info, 3, &ok);
  if (!ok) return env.Undefined();
  if (entry.find('/') != std::string::npos) return ThrowType(env, "the entry must be a single name");
  std::string path = "/proc/self/fd/" + std::to_string(dirFd) + "/" + entry;
  if (lsetxattr(path.c_str(), name.c_str(), value.Data(), value.Length(), 0) < 0)
    return ThrowErrno(env, errno, "lsetxattr", entry);
  return env.Undefined();
}

bool IsZero(const char *data, size_t length) {
  size_t i = 0;
  for (; i + 8 <= length; i += 8) {
    uint64_t word;
    memcpy(&word, data + i, 8);
    if (word != 0) return false;
  }
  for (; i < length; i++)
    if (data[i] != 0) return false;
  return true;
}

bool WriteAll(int fd, const char *data, size_t length, int64_t position) {
  while (length > 0) {
    ssize_t n = pwrite(fd, data, length, position);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    data += n;
    length -= n;
    position += n;
  }
  return true;
}

// writeSparse(fd, buffer, position) → bytes actually written. Writes `buffer` at `position` of a file
// that is new (it reads as zeros wherever nothing was written), skipping every page-aligned run of
// zeros, so that it stays a hole. The caller sets the final size with ftruncate.
Napi::Value WriteSparse(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  INT_ARG(fd, 0);
  bool ok;
  auto buffer = BufferArg(info, 1, &ok);
  if (!ok) return env.Undefined();
  INT_ARG(position, 2);
  const char *data = buffer.Data();
  const int64_t length = static_cast<int64_t>(buffer.Length());
  int64_t written = 0;
  int64_t runStart = -1;  // start (in buffer) of the pending run of data pages
  for (int64_t at = 0; at < length;) {
    // Pages are aligned to the file, not the buffer: the first and last may be partial.
    int64_t end = std::min(length, at + kPage - ((position + at) % kPage));
    bool zero = IsZero(data + at, end - at);
    if (!zero && runStart < 0) runStart = at;
    if (zero && runStart >= 0) {
      if (!WriteAll(fd, data + runStart, at - runStart, position + runStart))
        return ThrowErrno(env, errno, "pwrite");
      written += at - runStart;
      runStart = -1;
    }
    at = end;
  }
  if (runStart >= 0) {
    if (!WriteAll(fd, data + runStart, length - runStart, position + runStart))
      return ThrowErrno(env, errno, "pwrite");
    written += length - runStart;
  }
  return Napi::Number::New(env, static_cast<double>(written));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("openat", Napi::Function::New(env, OpenAt, "openat"));
  exports.Set("openBeneath", Napi::Function::New(env, OpenBeneath, "openBeneath"));
  exports.Set("close", Napi::Function::New(env, Close, "close"));
  exports.Set("mkdirat", Napi::Function::New(env, MkdirAt, "mkdirat"));
  exports.Set("symlinkat", Napi::Function::New(env, SymlinkAt, "symlinkat"));
  exports.Set("mknodat", Napi::Function::New(env, MknodAt, "mknodat"));
  exports.Set("linkat", Napi::Function::New(env, LinkAt, "linkat"));
  exports.Set("unlinkat", Napi::Function::New(env, UnlinkAt, "unlinkat"));
  exports.Set("fchownat", Napi::Function::New(env, FchownAt, "fchownat"));
  exports.Set("fchmodat", Napi::Function::New(env, FchmodAt, "fchmodat"));
  exports.Set("utimensat", Napi::Function::New(env, UtimensAt, "utimensat"));
  exports.Set("futimens", Napi::Function::New(env, Futimens, "futimens"));
  exports.Set("lgetxattrs", Napi::Function::New(env, LgetXattrs, "lgetxattrs"));
  exports.Set("fsetxattr", Napi::Function::New(env, FsetXattr, "fsetxattr"));
  exports.Set("setxattrAt", Napi::Function::New(env, SetXattrAt, "setxattrAt"));
  exports.Set("writeSparse", Napi::Function::New(env, WriteSparse, "writeSparse"));
  Napi::Object constants = Napi::Object::New(env);
  constants.Set("AT_FDCWD", Napi::Number::New(env, AT_FDCWD));
  constants.Set("AT_SYMLINK_NOFOLLOW", Napi::Number::New(env, AT_SYMLINK_NOFOLLOW));
  constants.Set("AT_REMOVEDIR", Napi::Number::New(env, AT_REMOVEDIR));
  exports.Set("constants", constants);
  return exports;
}

}  // namespace

NODE_API_MODULE(cairn_fs, Init)
