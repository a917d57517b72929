// Output that appears whole or not at all, never written through a link or a special file planted in
// its place, and an error class for every way the filesystem refuses it.
// A folder is written as NAME.partial.PID (made with mkdir, which never follows a link; its files are
// created in it through its descriptor with O_EXCL), flushed to the disk with all its files at once
// (syncfs), then renamed to NAME in one step. A single file goes through FILE.tmp.RANDOM, created with
// O_EXCL (a planted link there is refused, never followed), flushed (fsync) and renamed onto FILE, which
// replaces a link at FILE rather than writing through it. A set of files replaced as one (a sweep's
// merged files) lives in a folder LINK.RANDOM named by the link LINK, repointed with one rename.
// What the filesystem refuses (a read-only or full disk, a path through a regular file) is a
// FilesystemError naming the path; a --out that is taken, special or an input is an InputError.
#pragma once

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace migsim {

/// Checked before any simulation: `dir` must not exist or be an empty folder (InputError otherwise),
/// and its nearest existing ancestor must be a folder this process may write in (FilesystemError).
void check_output_dir_free(const std::string& dir);

/// Checked before anything is read, for a file the user names (`import qemu --out`): absent or a regular
/// file (a symbolic link there is replaced, not written through), never a folder, FIFO, device or socket,
/// and not the same file as any of `inputs` under whatever name. InputError otherwise.
void check_output_file_free(const std::string& path, const std::vector<std::string>& inputs);

/// A stream into a file this process created; finish() flushes it to the disk and closes it.
class FileOutput;

/// A new folder `target`, filled through write() and made visible by commit(); dropped unless committed.
class AtomicFolder {
public:
  explicit AtomicFolder(const std::string& target);
  ~AtomicFolder();
  AtomicFolder(const AtomicFolder&) = delete;
  AtomicFolder& operator=(const AtomicFolder&) = delete;

  /// Writes `text` to `relative` inside the folder (creating the folders on its way); commit() syncs it.
  void write(const std::string& relative, const std::string& text);
  void commit();

private:
  int folder_of(const std::string& relative_parent);

  std::filesystem::path target_;
  std::filesystem::path temp_;
  int temp_fd_ = -1;
  std::string cached_parent_;  // the subfolder written last (runs/000042 of a plan) and its descriptor
  int cached_fd_ = -1;
  bool committed_ = false;
};

/// A file streamed into FILE.tmp.RANDOM and renamed to FILE by commit(); dropped unless committed.
/// FILE may be absent, a regular file or a link (replaced); anything else is refused (InputError).
class AtomicFile {
public:
  explicit AtomicFile(const std::string& path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  std::ostream& stream();
  void commit();

private:
  std::filesystem::path path_;
  std::filesystem::path temp_;
  std::unique_ptr<FileOutput> out_;
  bool committed_ = false;
};

/// Writes `text` to `path` atomically.
void write_file_atomically(const std::string& path, const std::string& text);

/// Files replaced all at once: LINK is a symbolic link to the folder LINK.RANDOM that holds the current
/// set. A new set is written into a new LINK.RANDOM and LINK repointed with one rename, so a reader (or
/// a kill at any moment) sees the old set or the new one, never a mix. The caller holds a lock that keeps
/// a second writer of LINK away: at start, every other LINK.* (left by a killed writer) is removed.
class ReplacedFileSet {
public:
  explicit ReplacedFileSet(const std::string& link);
  ~ReplacedFileSet();
  ReplacedFileSet(const ReplacedFileSet&) = delete;
  ReplacedFileSet& operator=(const ReplacedFileSet&) = delete;

  /// A new file `name` of the set, written until the next open() or commit().
  std::ostream& open(const std::string& name);
  void commit();

private:
  void finish_file();

  std::filesystem::path link_;
  std::string current_;  // LINK's target before, removed once LINK points to the new set
  std::filesystem::path folder_;
  int folder_fd_ = -1;
  std::unique_ptr<FileOutput> out_;
  std::string out_name_;
  bool committed_ = false;
};

/// Makes `path` a symbolic link to `target` (atomically: a link made under a temporary name is renamed
/// onto it), unless it is one already; a regular file or a link there is replaced, a folder refused.
void link_atomically(const std::string& path, const std::string& target);

}  // namespace migsim
