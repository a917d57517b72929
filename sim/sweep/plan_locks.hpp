// Who works on a plan folder right now, as locks in one file, DIR/lock: byte N is locked while a
// process runs run N, and one byte past every run's while a process merges. A second `sweep run` on
// the same plan (a resubmitted Slurm array, a second terminal) then leaves the runs it finds locked to
// the process that has them, and no two merges replace the merged files at once.
// They are open file description locks (fcntl F_OFD_SETLK): held by this open file however many run
// processes fork from it, and released when the last of them ends, kill -9 included, so a killed sweep
// never leaves a run locked. NFS shares them between the nodes of a cluster (as POSIX locks).
#pragma once

#include <cstdint>
#include <string>

namespace migsim {

class PlanLocks {
public:
  /// Opens DIR/lock, creating it if needed (a link there is refused). Throws FilesystemError.
  explicit PlanLocks(const std::string& dir);
  ~PlanLocks();
  PlanLocks(const PlanLocks&) = delete;
  PlanLocks& operator=(const PlanLocks&) = delete;

  /// Takes run `id` unless another process has it; false then.
  bool try_lock_run(uint64_t id);
  void unlock_run(uint64_t id);
  /// Takes the merge lock, waiting while another process merges.
  void lock_merge();

private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace migsim
