/* writer: dirties guest memory one page at a time at a paced rate.
 *
 * usage: writer REGION_MIB RATE_MIBPS PATTERN [HOT_MIB HOT_SHARE]
 *   PATTERN uniform: every write goes to a page drawn uniformly from the region.
 *   PATTERN hotset : a share HOT_SHARE of the writes goes to the first HOT_MIB of the region,
 *                    the rest uniformly to the remainder.
 * The region is pre-filled with non-zero, page-distinct data first (so that it is neither zero pages
 * nor trivially compressible); each write then changes one 8-byte word of one page (a counter).
 * Pacing: a 1 ms tick; each tick writes the pages owed since the start, but never more than
 * CATCHUP_TICKS ticks' worth, so a stall (host load, migration throttling) is not made up in a burst.
 * Every second it logs to the control port: "wr <ms> <total pages> <pages in the last second>".
 * On SIGUSR1 it checks that every page still holds its fill pattern and logs "verify ok|bad ...".
 * It touches /run/writer.ready once the region is filled. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#define PAGE 4096
#define WORDS (PAGE / 8)
#define CATCHUP_TICKS 4

static volatile sig_atomic_t verify_requested;
static void on_usr1(int sig) { (void)sig; verify_requested = 1; }

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t rng = 88172645463325252ull;
static uint64_t next_rand(void) { /* xorshift64 */
  rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
  return rng;
}

static uint64_t fill_word(size_t page, size_t w) { return (page * 0x9E3779B97F4A7C15ull) ^ (w + 1) * 0xBF58476D1CE4E5B9ull; }

static int ctl = -1;
static void say(const char *line) { /* one write() per line: lines from several processes do not mix */
  if (ctl >= 0 && write(ctl, line, strlen(line)) < 0) {}
}

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: writer REGION_MIB RATE_MIBPS uniform|hotset [HOT_MIB HOT_SHARE]\n"); return 2; }
  size_t pages = (size_t)(atof(argv[1]) * 1024 * 1024 / PAGE);
  double rate = atof(argv[2]) * 1024 * 1024 / PAGE; /* pages per second */
  int hotset = strcmp(argv[3], "hotset") == 0;
  size_t hot_pages = argc > 4 ? (size_t)(atof(argv[4]) * 1024 * 1024 / PAGE) : 0;
  double hot_share = argc > 5 ? atof(argv[5]) : 0;
  if (hot_pages == 0 || hot_pages >= pages) hotset = 0;
  ctl = open("/dev/ttyS1", O_WRONLY | O_NOCTTY);
  signal(SIGUSR1, on_usr1);

  uint64_t *mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (mem == MAP_FAILED) { perror("mmap"); return 1; }
  for (size_t p = 0; p < pages; p++)
    for (size_t w = 0; w < WORDS; w++) mem[p * WORDS + w] = fill_word(p, w);
  close(open("/run/writer.ready", O_CREAT | O_WRONLY, 0644));

  char line[160];
  double t0 = now(), last_log = t0;
  uint64_t done = 0, done_at_log = 0, counter = 0;
  const uint64_t threshold = hotset ? (uint64_t)(hot_share * 18446744073709551615.0) : 0;
  for (;;) {
    double t = now();
    uint64_t owed = (uint64_t)(rate * (t - t0));
    uint64_t cap = (uint64_t)(rate * 0.001 * CATCHUP_TICKS) + 1;
    if (owed > done + cap) { /* drop the backlog beyond the cap: shift the start time */
      t0 += (double)(owed - done - cap) / rate;
      owed = done + cap;
    }
    for (; done < owed; done++) {
      size_t p;
      if (hotset) p = next_rand() < threshold ? next_rand() % hot_pages : hot_pages + next_rand() % (pages - hot_pages);
      else p = next_rand() % pages;
      mem[p * WORDS] = ++counter; /* word 0 is the counter; words 1.. keep the fill */
    }
    if (t - last_log >= 1.0) {
      snprintf(line, sizeof line, "wr %.0f %llu %llu\n", (t - t0) * 1000, (unsigned long long)done,
               (unsigned long long)(done - done_at_log));
      say(line);
      last_log = t; done_at_log = done;
    }
    if (verify_requested) {
      verify_requested = 0;
      size_t bad = 0;
      for (size_t p = 0; p < pages; p++)
        for (size_t w = 1; w < WORDS; w++) bad += mem[p * WORDS + w] != fill_word(p, w);
      snprintf(line, sizeof line, "verify %s %zu pages %zu bad words\n", bad ? "bad" : "ok", pages, bad);
      say(line);
    }
    struct timespec tick = {0, 1000000};
    nanosleep(&tick, NULL);
  }
}
