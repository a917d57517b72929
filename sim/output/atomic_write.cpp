#include "sim/output/atomic_write.hpp"

#include "sim/scenario/scenario_error.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

namespace fs = std::filesystem;

namespace migsim {

namespace {

[[noreturn]] void refuse(const std::string& what, const fs::path& path, int error)
{
  throw FilesystemError("cannot " + what + " \"" + path.string() + "\" (" + std::strerror(error) + ")");
}

[[noreturn]] void refuse(const std::string& what, const fs::path& path, const std::error_code& ec)
{
  throw FilesystemError("cannot " + what + " \"" + path.string() + "\" (" + ec.message() + ")");
}

fs::path parent_of(const fs::path& path)
{
  return path.has_parent_path() ? path.parent_path() : fs::path(".");
}

/// The folder `dir` names, as one path whose last component is its name: "r/" and "x/../r" are "r" (the
/// temporary NAME.partial.PID is made next to it, not inside it).
fs::path folder_path(const std::string& dir)
{
  fs::path path = fs::path(dir).lexically_normal();
  while (!path.has_filename() && path.has_relative_path())
    path = path.parent_path();
  return path;
}

/// A folder that the results cannot replace by a rename: the current folder or one that holds it (the
/// shell would be left in a deleted folder), a mount point, the root.
std::string unreplaceable(const fs::path& folder)
{
  std::error_code ec;
  const fs::path here = fs::canonical(fs::current_path(ec), ec);
  const fs::path that = fs::canonical(folder, ec);
  if (ec)
    return "";
  const auto [end, _] = std::mismatch(that.begin(), that.end(), here.begin(), here.end());
  if (end == that.end())
    return that == here ? "is the current folder" : "holds the current folder";
  struct stat own, parent;
  if (::stat(that.c_str(), &own) == 0 && ::stat(that.parent_path().c_str(), &parent) == 0 &&
      (own.st_dev != parent.st_dev || own.st_ino == parent.st_ino))
    return "is a mount point";
  return "";
}

/// Flushes `path` (a file or a folder) to the disk: a rename that makes it visible must not reach the
/// disk before the data (ext4 and xfs may reorder them on a crash otherwise).
void sync_path(const fs::path& path, bool required)
{
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (required)
      refuse("write", path, errno);
    return;
  }
  const bool synced = ::fsync(fd) == 0;
  const int error   = errno;
  ::close(fd);
  if (required && !synced)  // folders: best effort (some filesystems refuse a directory fsync)
    refuse("write", path, error);
}

void write_whole(const fs::path& path, const std::string& text)
{
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    refuse("create", path, errno);
  for (size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      refuse("write", path, error);
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0)
    refuse("write", path, errno);
}

/// Flushes everything written to the filesystem that holds `folder` to the disk: one syncfs for all the
/// files of a folder costs one disk flush where a fsync per file cost one each.
void sync_filesystem(const fs::path& folder)
{
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    refuse("write", folder, errno);
  const bool synced = ::syncfs(fd) == 0;
  const int error   = errno;
  ::close(fd);
  if (!synced)
    refuse("write", folder, error);
}

/// Removes NAME.partial.PID folders left by a migsim that was killed (SIGKILL, power loss) while writing
/// NAME; a PID that is still running is another migsim at work and is left alone.
void remove_stale_partials(const fs::path& target)
{
  std::error_code ec;
  const std::string prefix = target.filename().string() + ".partial.";
  for (const auto& entry : fs::directory_iterator(parent_of(target), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0)
      continue;
    const std::string pid = name.substr(prefix.size());
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos || pid.size() > 9)
      continue;
    if (::kill(static_cast<pid_t>(std::stol(pid)), 0) != 0 && errno == ESRCH)
      fs::remove_all(entry.path(), ec);
  }
}

}  // namespace

void check_output_dir_free(const std::string& given)
{
  const std::string dir = folder_path(given).string();
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(dir, ec);
  if (fs::is_symlink(status) && !fs::exists(dir, ec))
    throw InputError("output folder \"" + dir + "\" is a dangling symbolic link; choose another --out");
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw InputError("output folder \"" + dir + "\" is a file, not a folder; choose another --out");
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec))
    throw InputError("output folder \"" + dir + "\" already exists and is not empty; choose another --out");
  if (fs::is_directory(dir, ec) && !unreplaceable(dir).empty())
    throw InputError("output folder \"" + given + "\" " + unreplaceable(dir) +
                     ", which the results folder cannot replace; choose a new folder, e.g. --out " +
                     (fs::path(dir) / "results").string());
  // The folder is made next to it: its nearest existing ancestor must be a folder we may write in.
  fs::path ancestor = parent_of(fs::path(dir));
  while (!fs::exists(ancestor, ec) && ancestor != ".")  // "results/x" with no results/ yet: the cwd
    ancestor = parent_of(ancestor);
  if (fs::exists(ancestor, ec) && !fs::is_directory(ancestor, ec))
    throw FilesystemError("cannot create output folder \"" + dir + "\": \"" + ancestor.string() +
                          "\" is a file, not a folder");
  if (::access(ancestor.c_str(), W_OK | X_OK) != 0)
    throw FilesystemError("cannot create output folder \"" + dir + "\" in \"" + ancestor.string() + "\" (" +
                          std::strerror(errno) + ")");
}

AtomicFolder::AtomicFolder(const std::string& target) : target_(folder_path(target))
{
  check_output_dir_free(target);
  std::error_code ec;
  for (fs::path missing = parent_of(target_); !fs::exists(missing, ec) && missing.has_relative_path();
       missing = parent_of(missing))
    created_ = missing;  // the outermost folder made for the results, removed if they are not committed
  fs::create_directories(parent_of(target_), ec);
  if (ec)
    refuse("create folder", parent_of(target_), ec);
  remove_stale_partials(target_);
  temp_ = target_.string() + ".partial." + std::to_string(::getpid());
  fs::remove_all(temp_, ec);
  if (!fs::create_directory(temp_, ec) || ec)
    refuse("create folder", temp_, ec);
}

AtomicFolder::~AtomicFolder()
{
  std::error_code ignore;
  if (committed_)
    return;
  fs::remove_all(temp_, ignore);
  if (!created_.empty())  // each folder made on the way (results/), while nothing else is in it
    for (fs::path folder = parent_of(target_); fs::remove(folder, ignore) && folder != created_;)
      folder = parent_of(folder);
}

void AtomicFolder::write(const std::string& relative, const std::string& text)
{
  const fs::path file = temp_ / relative;
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec)
    refuse("create folder", file.parent_path(), ec);
  write_whole(file, text);
}

void AtomicFolder::commit()
{
  sync_filesystem(temp_);
  std::error_code ec;
  fs::rename(temp_, target_, ec);  // replaces an empty folder, never a non-empty one
  if (ec == std::errc::directory_not_empty || ec == std::errc::file_exists)
    throw FilesystemError("cannot move the results into \"" + target_.string() +
                          "\": another program wrote there meanwhile (" + ec.message() + ")");
  if (ec)
    refuse("create folder", target_, ec);
  committed_ = true;
  sync_path(parent_of(target_), false);
}

AtomicFile::AtomicFile(const std::string& path)
    : path_(path), temp_(path + ".tmp." + std::to_string(::getpid())), out_(temp_, std::ios::binary)
{
  if (!out_)
    refuse("create", temp_, errno);
}

AtomicFile::~AtomicFile()
{
  std::error_code ignore;
  if (!committed_)
    fs::remove(temp_, ignore);
}

void AtomicFile::commit()
{
  out_.close();
  if (out_.fail())
    refuse("write", temp_, errno);
  sync_path(temp_, true);
  std::error_code ec;
  fs::rename(temp_, path_, ec);
  if (ec)
    refuse("write", path_, ec);
  committed_ = true;
  sync_path(parent_of(path_), false);
}

void write_file_atomically(const std::string& path, const std::string& text)
{
  AtomicFile file(path);
  file.stream() << text;
  file.commit();
}

}  // namespace migsim
