#include "sim/sweep/progress_bar.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cmath>

namespace migsim {

namespace {
// A terminal is redrawn often enough to look live; a log gets a line now and then, not thousands.
constexpr double terminal_period_s = 0.1;
constexpr double log_period_s      = 10.0;
constexpr int bar_width            = 24;
}  // namespace

ProgressBar::ProgressBar(size_t total, size_t skipped, bool enabled, std::FILE* out)
    : total_(total)
    , skipped_(skipped)
    , enabled_(enabled)
    , terminal_(::isatty(::fileno(out)) == 1)
    , out_(out)
    , start_(Clock::now())
    , last_draw_(start_)
{
  if (enabled_ && terminal_)
    draw(false);
}

std::string ProgressBar::format_duration(double seconds)
{
  if (!std::isfinite(seconds) || seconds < 0)
    return "?";
  const long s = std::lround(seconds);
  char text[32];
  if (s < 60)
    std::snprintf(text, sizeof text, "%lds", s);
  else if (s < 3600)
    std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, s / 60 % 60);
  return text;
}

std::string ProgressBar::status_text(double elapsed_s) const
{
  const size_t finished = skipped_ + done_;
  const double rate     = elapsed_s > 0 ? static_cast<double>(done_) / elapsed_s : 0;
  const size_t left     = total_ - finished;
  char text[160];
  std::snprintf(text, sizeof text, "%zu/%zu runs done, %zu failed, %.1f runs/s, %s elapsed, %s left", finished, total_,
                failed_, rate, format_duration(elapsed_s).c_str(),
                left == 0 ? "0s" : rate > 0 ? format_duration(static_cast<double>(left) / rate).c_str() : "?");
  return text;
}

void ProgressBar::draw(bool final)
{
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  const std::string status = status_text(elapsed);
  if (!terminal_) {
    std::fprintf(out_, "sweep: %s\n", status.c_str());
    std::fflush(out_);
    return;
  }
  const size_t finished = skipped_ + done_;
  const int filled = total_ ? static_cast<int>(bar_width * finished / total_) : bar_width;
  std::string line = "[" + std::string(filled, '#') + std::string(bar_width - filled, '.') + "] " + status;
  // A line longer than the terminal would wrap, and '\r' would then redraw only its last part.
  winsize size{};
  if (::ioctl(::fileno(out_), TIOCGWINSZ, &size) == 0 && size.ws_col > 1 && line.size() >= size.ws_col)
    line.resize(size.ws_col - 1u);
  const size_t width = line.size();
  if (width < last_width_)
    line += std::string(last_width_ - width, ' ');  // wipe the tail of a longer previous line
  last_width_ = width;
  std::fprintf(out_, "\r%s%s", line.c_str(), final ? "\n" : "");
  std::fflush(out_);
}

void ProgressBar::advance(bool failed)
{
  ++done_;
  failed_ += failed ? 1 : 0;
  tick();
}

void ProgressBar::tick()
{
  if (!enabled_)
    return;
  const auto now = Clock::now();
  if (std::chrono::duration<double>(now - last_draw_).count() >= (terminal_ ? terminal_period_s : log_period_s)) {
    last_draw_ = now;
    draw(false);
  }
}

void ProgressBar::finish()
{
  if (enabled_)
    draw(true);
}

}  // namespace migsim
