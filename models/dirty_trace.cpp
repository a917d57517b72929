#include "models/dirty_trace.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace migsim {

namespace {

std::string trim(const std::string& s)
{
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos)
    return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

std::vector<std::string> split_fields(const std::string& line)
{
  std::vector<std::string> fields;
  size_t start = 0;
  for (size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1)
    fields.push_back(trim(line.substr(start, comma - start)));
  fields.push_back(trim(line.substr(start)));
  return fields;
}

std::string join(const std::vector<std::string>& fields)
{
  std::string out;
  for (const auto& f : fields)
    out += (out.empty() ? "" : ",") + f;
  return out;
}

const std::vector<std::string> page_columns{"time_s", "first_page", "pages"};
const std::vector<std::string> page_columns_with_class{"time_s", "first_page", "pages", "class"};
const std::vector<std::string> rate_columns{"time_s", "rate_Bps"};

class LineReader {
public:
  LineReader(uint64_t line, const std::vector<std::string>& header, std::vector<std::string> fields)
      : line_(line), header_(header), fields_(std::move(fields))
  {
    if (fields_.size() != header_.size())
      throw DirtyTraceError(line_, "", "expected " + std::to_string(header_.size()) + " fields (" + join(header_) +
                                           "), got " + std::to_string(fields_.size()));
  }

  [[noreturn]] void fail(size_t column, const std::string& message) const
  {
    throw DirtyTraceError(line_, header_[column], message);
  }
  const std::string& text(size_t column) const { return fields_[column]; }

  double number(size_t column) const
  {
    const std::string& cell = fields_[column];
    char* end               = nullptr;
    errno                   = 0;
    const double x          = cell.empty() ? 0 : std::strtod(cell.c_str(), &end);
    if (cell.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(x))
      fail(column, "expected a number, got \"" + cell + "\"");
    if (x < 0)
      fail(column, "must be zero or positive, got " + cell);
    return x;
  }

  uint64_t whole(size_t column) const
  {
    const std::string& cell = fields_[column];
    if (cell.empty() || cell.find_first_not_of("0123456789") != std::string::npos)
      fail(column, "expected a whole number, got \"" + cell + "\"");
    errno                = 0;
    const uint64_t x     = std::strtoull(cell.c_str(), nullptr, 10);
    if (errno == ERANGE)
      fail(column, "number too large: " + cell);
    return x;
  }

private:
  uint64_t line_;
  const std::vector<std::string>& header_;
  std::vector<std::string> fields_;
};

std::optional<PageClass> parse_class(const LineReader& r, size_t column)
{
  const std::string& name = r.text(column);
  if (name.empty())
    return std::nullopt;
  for (PageClass c : {PageClass::Anonymous, PageClass::CleanCache, PageClass::DirtyCache, PageClass::Free})
    if (name == to_string(c))
      return c;
  r.fail(column, "unknown class \"" + name + "\"; expected one of: anonymous, clean_cache, dirty_cache, free");
}

}  // namespace

double DirtyTrace::mean_pages_per_s() const
{
  if (kind != Kind::Pages || bursts.empty() || bursts.back().time_s <= 0)
    return 0;
  double pages = 0;
  for (const auto& b : bursts)
    pages += static_cast<double>(b.pages);
  return pages / bursts.back().time_s;
}

DirtyTrace parse_dirty_trace(std::istream& in, uint64_t page_count)
{
  DirtyTrace trace;
  std::vector<std::string> header;
  double last_time = 0;
  uint64_t number  = 0;
  for (std::string raw; std::getline(in, raw);) {
    ++number;
    const std::string line = trim(raw);
    if (line.empty() || line[0] == '#')
      continue;
    if (header.empty()) {
      header = split_fields(line);
      if (header == rate_columns)
        trace.kind = DirtyTrace::Kind::Rates;
      else if (header != page_columns && header != page_columns_with_class)
        throw DirtyTraceError(number, "", "expected the header time_s,first_page,pages[,class] or time_s,rate_Bps, got \"" +
                                              line + "\"");
      continue;
    }
    LineReader r(number, header, split_fields(line));
    const double time = r.number(0);
    if (time < last_time)
      r.fail(0, "times must not decrease: " + r.text(0) + " comes after " + std::to_string(last_time));
    last_time = time;
    if (trace.kind == DirtyTrace::Kind::Rates) {
      trace.rates.push_back({time, r.number(1)});
      continue;
    }
    const uint64_t first = r.whole(1);
    const uint64_t pages = r.whole(2);
    if (first >= page_count)
      r.fail(1, "page " + r.text(1) + " is beyond the guest's " + std::to_string(page_count) + " pages");
    if (pages == 0)
      r.fail(2, "a burst writes at least 1 page");
    if (pages > page_count - first)
      r.fail(2, "pages " + r.text(1) + " to " + r.text(1) + " + " + r.text(2) + " run past the guest's " +
                    std::to_string(page_count) + " pages");
    trace.bursts.push_back({time, first, pages, header.size() == 4 ? parse_class(r, 3) : std::nullopt});
  }
  if (header.empty())
    throw DirtyTraceError(number + 1, "", "no header: expected time_s,first_page,pages[,class] or time_s,rate_Bps");
  return trace;
}

}  // namespace migsim
