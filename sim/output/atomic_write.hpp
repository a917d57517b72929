// Output that appears whole or not at all, and an error class for every way the filesystem refuses it.
// A folder is written as NAME.partial.PID, flushed to the disk with all its files at once (syncfs), then
// renamed to NAME in one step; a single file goes through FILE.tmp.PID, flushed (fsync), the same way.
// Used by runs (result_writer), sweep plans (sweep_plan) and merges (sweep_merge). What the filesystem
// refuses (a read-only or full disk, a path through a regular file) is a FilesystemError naming the path;
// a --out that is taken is an InputError.
#pragma once

#include <filesystem>
#include <ostream>
#include <fstream>
#include <string>

namespace migsim {

/// Checked before any simulation: `dir` must not exist or be an empty folder (InputError otherwise),
/// and its nearest existing ancestor must be a folder this process may write in (FilesystemError).
void check_output_dir_free(const std::string& dir);

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
  std::filesystem::path target_;
  std::filesystem::path temp_;
  std::filesystem::path created_;  ///< the outermost missing folder on the way to target_, if any
  bool committed_ = false;
};

/// A file streamed into FILE.tmp.PID and renamed to FILE by commit(); dropped unless committed.
class AtomicFile {
public:
  explicit AtomicFile(const std::string& path);
  ~AtomicFile();
  std::ostream& stream() { return out_; }
  void commit();

private:
  std::filesystem::path path_;
  std::filesystem::path temp_;
  std::ofstream out_;
  bool committed_ = false;
};

/// Writes `text` to `path` atomically.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace migsim
