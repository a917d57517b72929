#include "sim/output/atomic_write.hpp"

#include "sim/scenario/scenario_error.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <streambuf>

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

/// Twelve characters no other process can guess: temporary names a planted link cannot wait at.
std::string random_suffix()
{
  unsigned char bytes[12];
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
    static unsigned counter = 0;  // no entropy source: unique in this process, and O_EXCL still holds
    const unsigned long mix = static_cast<unsigned long>(::getpid()) * 2654435761u + ++counter;
    for (size_t i = 0; i < sizeof bytes; ++i)
      bytes[i] = static_cast<unsigned char>(mix >> (i % 8 * 8));
  }
  const char* alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string suffix;
  for (unsigned char b : bytes)
    suffix += alphabet[b % 36];
  return suffix;
}

/// What lstat says `path` is, for messages: only regular files and links are ever replaced.
const char* special_kind(mode_t mode)
{
  if (S_ISDIR(mode))
    return "a folder";
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISCHR(mode) || S_ISBLK(mode))
    return "a device";
  if (S_ISSOCK(mode))
    return "a socket";
  return nullptr;
}

/// Refuses to replace anything at `path` but a regular file or a symbolic link (InputError).
void check_replaceable(const fs::path& path)
{
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0)
    return;
  if (const char* kind = special_kind(info.st_mode))
    throw InputError("output file \"" + path.string() + "\" is " + kind +
                     ", not a regular file; migsim replaces only regular files: choose another --out");
}

/// Flushes the folder `path` to the disk after a rename in it (best effort: some filesystems refuse).
void sync_folder(const fs::path& path)
{
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return;
  ::fsync(fd);
  ::close(fd);
}

/// Flushes everything written to the filesystem that holds the folder `fd` to the disk: one syncfs for
/// all the files of a folder costs one disk flush where a fsync per file cost one each.
void sync_filesystem(int fd, const fs::path& folder)
{
  if (::syncfs(fd) != 0)
    refuse("write", folder, errno);
}

/// A new file `name` in the folder `dir_fd` (AT_FDCWD: `name` is a path), created exclusively: a file
/// or a link already there is an error, never opened.
int create_exclusive(int dir_fd, const fs::path& name, const fs::path& shown)
{
  const int fd = ::openat(dir_fd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    refuse("create", shown, errno);
  return fd;
}

/// A subfolder `name` of `dir_fd`, made if absent; a link there is refused, never followed.
int open_subfolder(int dir_fd, const std::string& name, const fs::path& shown)
{
  if (::mkdirat(dir_fd, name.c_str(), 0755) != 0 && errno != EEXIST)
    refuse("create folder", shown, errno);
  const int fd = ::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    refuse("create folder", shown, errno);
  return fd;
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

/// Buffered writes to a descriptor; the first error is kept, with its errno, for finish() to report.
class FileOutput : private std::streambuf, public std::ostream {
public:
  FileOutput(int fd, fs::path shown) : std::ostream(this), fd_(fd), shown_(std::move(shown))
  {
    setp(buffer_, buffer_ + sizeof buffer_);
  }
  ~FileOutput() override
  {
    if (fd_ >= 0)
      ::close(fd_);
  }
  FileOutput(const FileOutput&) = delete;
  FileOutput& operator=(const FileOutput&) = delete;

  /// Writes what is buffered, fsyncs when `durable` (one file: no syncfs of a folder to rely on) and closes.
  void finish(bool durable)
  {
    int error = 0;
    if (!drain())
      error = error_;
    else if (durable && ::fsync(fd_) != 0)
      error = errno;
    if (::close(fd_) != 0 && error == 0)
      error = errno;  // NFS reports a full disk as late as this
    fd_ = -1;
    if (error != 0)
      refuse("write", shown_, error);
  }

private:
  using int_type    = std::streambuf::int_type;
  using traits_type = std::streambuf::traits_type;

  int_type overflow(int_type c) override
  {
    if (!drain())
      return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

  bool drain()
  {
    if (error_)
      return false;
    for (const char* at = pbase(); at < pptr();) {
      const ssize_t n = ::write(fd_, at, static_cast<size_t>(pptr() - at));
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) {
        error_ = n < 0 ? errno : EIO;
        return false;
      }
      at += n;
    }
    setp(buffer_, buffer_ + sizeof buffer_);
    return true;
  }

  int fd_;
  fs::path shown_;
  int error_ = 0;
  char buffer_[1 << 16];
};

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

void check_output_file_free(const std::string& path, const std::vector<std::string>& inputs)
{
  check_replaceable(path);
  struct stat out {};
  if (::stat(path.c_str(), &out) != 0)
    return;  // absent (or a dangling link, replaced)
  for (const std::string& input : inputs) {
    struct stat in {};
    if (::stat(input.c_str(), &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino)
      throw InputError("output file \"" + path + "\" is the input \"" + input +
                       "\" itself; writing it would destroy the input: choose another --out");
  }
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
  // mkdir never follows a link; what holds this process's own name is a leftover of a dead process
  // with our PID (or a planted link): removed, link and not its target, before the folder is made.
  int made = ::mkdir(temp_.c_str(), 0755);
  if (made != 0 && errno == EEXIST) {
    fs::remove_all(temp_, ec);
    made = ::mkdir(temp_.c_str(), 0755);
  }
  if (made != 0)
    refuse("create folder", temp_, errno);
  temp_fd_ = ::open(temp_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (temp_fd_ < 0)
    refuse("create folder", temp_, errno);
}

AtomicFolder::~AtomicFolder()
{
  if (cached_fd_ >= 0)
    ::close(cached_fd_);
  if (temp_fd_ >= 0)
    ::close(temp_fd_);
  std::error_code ignore;
  if (!committed_)
    fs::remove_all(temp_, ignore);
}

/// The descriptor of the subfolder `relative_parent` of the folder being written ("" for itself).
int AtomicFolder::folder_of(const std::string& relative_parent)
{
  if (relative_parent.empty())
    return temp_fd_;
  if (cached_fd_ >= 0 && relative_parent == cached_parent_)
    return cached_fd_;
  if (cached_fd_ >= 0)
    ::close(cached_fd_);
  cached_fd_ = -1;
  int fd     = temp_fd_;
  fs::path shown = temp_;
  for (const auto& part : fs::path(relative_parent)) {
    shown /= part;
    const int next = open_subfolder(fd, part.string(), shown);
    if (fd != temp_fd_)
      ::close(fd);
    fd = next;
  }
  cached_parent_ = relative_parent;
  cached_fd_     = fd;
  return fd;
}

void AtomicFolder::write(const std::string& relative, const std::string& text)
{
  const fs::path file(relative);
  const int dir_fd = folder_of(file.parent_path().string());
  FileOutput out(create_exclusive(dir_fd, file.filename(), temp_ / file), temp_ / file);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.finish(false);
}

void AtomicFolder::commit()
{
  sync_filesystem(temp_fd_, temp_);
  std::error_code ec;
  fs::rename(temp_, target_, ec);  // replaces an empty folder, never a non-empty one
  if (ec == std::errc::directory_not_empty || ec == std::errc::file_exists)
    throw FilesystemError("cannot move the results into \"" + target_.string() +
                          "\": another program wrote there meanwhile (" + ec.message() + ")");
  if (ec)
    refuse("create folder", target_, ec);
  committed_ = true;
  sync_folder(parent_of(target_));
}

AtomicFile::AtomicFile(const std::string& path) : path_(path)
{
  check_replaceable(path_);
  temp_ = path + ".tmp." + random_suffix();
  out_  = std::make_unique<FileOutput>(create_exclusive(AT_FDCWD, temp_, temp_), temp_);
}

AtomicFile::~AtomicFile()
{
  out_.reset();
  std::error_code ignore;
  if (!committed_)
    fs::remove(temp_, ignore);
}

std::ostream& AtomicFile::stream()
{
  return *out_;
}

void AtomicFile::commit()
{
  out_->finish(true);
  check_replaceable(path_);  // a FIFO made there meanwhile is refused too
  std::error_code ec;
  fs::rename(temp_, path_, ec);  // onto a link: replaces the link, never writes where it points
  if (ec)
    refuse("write", path_, ec);
  committed_ = true;
  sync_folder(parent_of(path_));
}

void write_file_atomically(const std::string& path, const std::string& text)
{
  AtomicFile file(path);
  file.stream() << text;
  file.commit();
}

ReplacedFileSet::ReplacedFileSet(const std::string& link) : link_(link)
{
  const fs::path parent    = parent_of(link_);
  const std::string base   = link_.filename().string();
  struct stat info {};
  if (::lstat(link_.c_str(), &info) == 0) {
    if (!S_ISLNK(info.st_mode))
      throw InputError("\"" + link_.string() + "\" is not the link migsim makes there; move it away");
    std::error_code ec;
    current_ = fs::read_symlink(link_, ec).string();
  }
  // Ours are LINK.RANDOM: every one but the current set is a leftover of a killed writer.
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(base + ".", 0) == 0 && name != current_)
      fs::remove_all(entry.path(), ec);
  }
  folder_ = parent / (base + "." + random_suffix());
  if (::mkdir(folder_.c_str(), 0755) != 0)
    refuse("create folder", folder_, errno);
  folder_fd_ = ::open(folder_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (folder_fd_ < 0)
    refuse("create folder", folder_, errno);
}

ReplacedFileSet::~ReplacedFileSet()
{
  out_.reset();
  if (folder_fd_ >= 0)
    ::close(folder_fd_);
  std::error_code ignore;
  if (!committed_)
    fs::remove_all(folder_, ignore);
}

void ReplacedFileSet::finish_file()
{
  if (out_)
    out_->finish(false);
  out_.reset();
}

std::ostream& ReplacedFileSet::open(const std::string& name)
{
  finish_file();
  out_ = std::make_unique<FileOutput>(create_exclusive(folder_fd_, name, folder_ / name), folder_ / name);
  return *out_;
}

void ReplacedFileSet::commit()
{
  finish_file();
  sync_filesystem(folder_fd_, folder_);
  const fs::path parent    = parent_of(link_);
  const fs::path temp_link = parent / (link_.filename().string() + ".link." + random_suffix());
  std::error_code ec;
  fs::create_symlink(folder_.filename(), temp_link, ec);
  if (ec)
    refuse("write", temp_link, ec);
  fs::rename(temp_link, link_, ec);
  if (ec) {
    std::error_code ignore;
    fs::remove(temp_link, ignore);
    refuse("write", link_, ec);
  }
  committed_ = true;
  sync_folder(parent);
  // The previous set, if migsim made it (a name of its own, in the same folder).
  const std::string ours = link_.filename().string() + ".";
  if (current_.rfind(ours, 0) == 0 && current_.find('/') == std::string::npos)
    fs::remove_all(parent / current_, ec);
}

void link_atomically(const std::string& path, const std::string& target)
{
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(path, ec)) && fs::read_symlink(path, ec) == target)
    return;
  check_replaceable(path);
  const fs::path temp = path + ".tmp." + random_suffix();
  fs::create_symlink(target, temp, ec);
  if (ec)
    refuse("write", temp, ec);
  fs::rename(temp, path, ec);
  if (ec) {
    std::error_code ignore;
    fs::remove(temp, ignore);
    refuse("write", path, ec);
  }
}

}  // namespace migsim
