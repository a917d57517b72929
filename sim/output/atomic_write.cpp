#include "sim/output/atomic_write.hpp"

#include "sim/scenario/scenario_error.hpp"

#include <fcntl.h>
#include <unistd.h>

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

void check_output_dir_free(const std::string& dir)
{
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(dir, ec);
  if (fs::is_symlink(status) && !fs::exists(dir, ec))
    throw InputError("output folder \"" + dir + "\" is a dangling symbolic link; choose another --out");
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw InputError("output folder \"" + dir + "\" is a file, not a folder; choose another --out");
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec))
    throw InputError("output folder \"" + dir + "\" already exists and is not empty; choose another --out");
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

AtomicFolder::AtomicFolder(const std::string& target) : target_(target)
{
  check_output_dir_free(target);
  std::error_code ec;
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
  if (!committed_)
    fs::remove_all(temp_, ignore);
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
