/* ctl: the guest end of the control channel (second serial port, /dev/ttyS1).
 * Reads one command per line and answers with one line:
 *   ping            -> "pong <uptime s>"
 *   drop            -> sync, echo 3 > /proc/sys/vm/drop_caches -> "dropped <MemFree kB before> <after>"
 *   mem             -> "mem <MemFree kB> <Cached kB>"
 *   read MIB SECONDS -> runs the reader on /mnt/data.bin in the background (it logs "rd"/"rdend")
 *   verify          -> asks the writer to check its memory (it answers "verify ...")
 * The port is put in raw mode so that nothing is echoed back to the host. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int port;
static void say(const char *line) { if (write(port, line, strlen(line)) < 0) {} }

static long meminfo(const char *key) {
  FILE *f = fopen("/proc/meminfo", "r");
  char name[64]; long v = -1, x;
  while (f && fscanf(f, "%63s %ld kB", name, &x) == 2)
    if (strncmp(name, key, strlen(key)) == 0 && name[strlen(key)] == ':') { v = x; break; }
  if (f) fclose(f);
  return v;
}

int main(void) {
  port = open("/dev/ttyS1", O_RDWR | O_NOCTTY);
  if (port < 0) { perror("/dev/ttyS1"); return 1; }
  struct termios tio;
  tcgetattr(port, &tio);
  cfmakeraw(&tio);
  cfsetspeed(&tio, B115200);
  tcsetattr(port, TCSANOW, &tio);
  signal(SIGCHLD, SIG_IGN); /* reader children are not waited for */

  char line[128], out[160];
  size_t len = 0;
  for (;;) {
    char c;
    if (read(port, &c, 1) != 1) continue;
    if (c != '\n' && c != '\r') { if (len < sizeof line - 1) line[len++] = c; continue; }
    line[len] = 0;
    if (len == 0) continue;
    len = 0;
    if (strcmp(line, "ping") == 0) {
      FILE *f = fopen("/proc/uptime", "r"); double up = 0;
      if (f) { if (fscanf(f, "%lf", &up) != 1) up = 0; fclose(f); }
      snprintf(out, sizeof out, "pong %.2f\n", up);
    } else if (strcmp(line, "drop") == 0) {
      long before = meminfo("MemFree");
      sync();
      int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
      if (fd >= 0) { if (write(fd, "3\n", 2) < 0) {} close(fd); }
      snprintf(out, sizeof out, "dropped %ld %ld\n", before, meminfo("MemFree"));
    } else if (strcmp(line, "mem") == 0) {
      snprintf(out, sizeof out, "mem %ld %ld\n", meminfo("MemFree"), meminfo("Cached"));
    } else if (strncmp(line, "read ", 5) == 0) {
      char mib[32] = "0", secs[32] = "0";
      sscanf(line + 5, "%31s %31s", mib, secs);
      if (fork() == 0) { execl("/bin/reader", "reader", "/mnt/data.bin", mib, secs, (char *)NULL); _exit(127); }
      snprintf(out, sizeof out, "reading %s %s\n", mib, secs);
    } else if (strcmp(line, "verify") == 0) {
      system("kill -USR1 $(cat /run/writer.pid) 2>/dev/null");
      continue; /* the writer answers */
    } else {
      snprintf(out, sizeof out, "error unknown command\n");
    }
    say(out);
  }
}
