/* reader: reads the first SIZE_MIB of FILE over and over for SECONDS (0: once), 1 MiB at a time,
 * logging to the control port the bytes read in every 100 ms: "rd <ms since start> <bytes>", then
 * "rdend <total bytes> <ms>". A first pass fills the guest's page cache; later passes measure
 * whether the data still comes from the cache (fast) or from the throttled disk (slow). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (1 << 20)

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: reader FILE SIZE_MIB SECONDS\n"); return 2; }
  long long size = atoll(argv[2]) * CHUNK;
  double seconds = atof(argv[3]);
  int fd = open(argv[1], O_RDONLY);
  int ctl = open("/dev/ttyS1", O_WRONLY | O_NOCTTY);
  if (fd < 0) { perror(argv[1]); return 1; }
  static char buf[CHUNK];
  char line[96];
  double t0 = now(), slot = t0;
  long long off = 0, total = 0, in_slot = 0;
  for (;;) {
    ssize_t n = pread(fd, buf, CHUNK, off);
    if (n <= 0) { off = 0; if (seconds <= 0) break; continue; }
    off += n; total += n; in_slot += n;
    if (off >= size) { off = 0; if (seconds <= 0) break; }
    double t = now();
    if (t - slot >= 0.1) {
      snprintf(line, sizeof line, "rd %.0f %lld\n", (t - t0) * 1000, in_slot);
      if (ctl >= 0 && write(ctl, line, strlen(line)) < 0) {}
      slot = t; in_slot = 0;
    }
    if (seconds > 0 && t - t0 >= seconds) break;
  }
  snprintf(line, sizeof line, "rdend %lld %.0f\n", total, (now() - t0) * 1000);
  if (ctl >= 0 && write(ctl, line, strlen(line)) < 0) {}
  return 0;
}
