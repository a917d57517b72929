// The trace readers: the committed samples (tests/trace/samples/, from make_samples.py) read back to
// their known values, and every malformed, short, huge or odd file or folder is one located line.
#include "sim/scenario/scenario_error.hpp"
#include "sim/scenario/bitbrains_trace.hpp"
#include "sim/scenario/planetlab_trace.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

using namespace migsim;
namespace fs = std::filesystem;

namespace {

const std::string samples = std::string(MIGSIM_SOURCE_DIR) + "/tests/trace/samples";

/// A fresh folder for one case, removed with it.
struct TempFolder {
  fs::path path;
  TempFolder()
  {
    char name[] = "/tmp/migsim-trace-XXXXXX";
    path        = ::mkdtemp(name);
  }
  ~TempFolder()
  {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const
  {
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
};

std::string lines(int count, const std::string& value = "7")
{
  std::string text;
  for (int i = 0; i < count; ++i)
    text += value + "\n";
  return text;
}

/// The message of the ScenarioError `read` throws; it must be one line.
template <class Read>
std::string error_of(Read read)
{
  try {
    read();
  } catch (const ScenarioError& e) {
    const std::string message = e.what();
    CHECK(message.find('\n') == std::string::npos);
    return message;
  }
  FAIL("no error");
  return "";
}

const std::string bitbrains_header =
    "Timestamp [ms];\tCPU cores;\tCPU capacity provisioned [MHZ];\tCPU usage [MHZ];\tCPU usage [%];\t"
    "Memory capacity provisioned [KB];\tMemory usage [KB];\tDisk read throughput [KB/s];\t"
    "Disk write throughput [KB/s];\tNetwork received throughput [KB/s];\tNetwork transmitted throughput [KB/s]\n";

std::string bitbrains_row(long t, const std::string& percent = "25.0", const std::string& cores = "2")
{
  return std::to_string(t) + ";\t" + cores + ";\t5852.0;\t1463.0;\t" + percent + ";\t4194304.0;\t100.0;\t0.0;\t1.5;\t0.2;\t0.1\n";
}

}  // namespace

TEST_CASE("the PlanetLab sample folder: three VMs in name order, 288 values each, 300 s apart")
{
  const auto traces = read_planetlab_folder(samples + "/planetlab");
  REQUIRE(traces.size() == 3);
  CHECK(traces[0].name == "flat_vm");
  CHECK(traces[1].name == "noisy vm_with space");
  CHECK(traces[2].name == "ramp_vm");
  for (const auto& t : traces) {
    REQUIRE(t.utilisation.size() == 288);
    CHECK(t.time_s[287] == 287 * 300.0);
  }
  CHECK(traces[0].utilisation[100] == doctest::Approx(0.10));
  CHECK(traces[2].utilisation[100] == doctest::Approx(0.50));  // the ramp: i / 2 percent
  CHECK(traces[2].utilisation[191] == doctest::Approx(0.95));
  CHECK(traces[2].utilisation[287] == 0);
}

TEST_CASE("a PlanetLab trace accepts CRLF, spaces around a value and a last line without newline")
{
  std::string text = lines(287, " 42\r");
  text += "100";
  const CpuTrace t = parse_planetlab_trace(text, "x");
  CHECK(t.utilisation.size() == 288);
  CHECK(t.utilisation[0] == doctest::Approx(0.42));
  CHECK(t.utilisation[287] == 1);
}

TEST_CASE("bad PlanetLab traces: one located line each")
{
  TempFolder d;
  CHECK(error_of([&] { read_planetlab_trace(d.write("empty", "")); }).find("empty: the file is empty") != std::string::npos);
  CHECK(error_of([&] { read_planetlab_trace(d.write("short", lines(200))); })
            .find("short: line 201: missing: the trace ends after 200 of its 288 values") != std::string::npos);
  CHECK(error_of([&] { read_planetlab_trace(d.write("long", lines(289))); })
            .find("long: line 289: more than 288 values") != std::string::npos);
  CHECK(error_of([&] { read_planetlab_trace(d.write("text", lines(5) + "abc\n" + lines(282))); })
            .find("text: line 6: expected a whole number of percent from 0 to 100, got \"abc\"") != std::string::npos);
  CHECK(error_of([&] { read_planetlab_trace(d.write("range", lines(9) + "101\n" + lines(278))); })
            .find("range: line 10: expected a whole number of percent from 0 to 100, got \"101\"") != std::string::npos);
  CHECK(error_of([&] { read_planetlab_trace(d.write("negative", "-1\n" + lines(287))); }).find("line 1:") != std::string::npos);
  CHECK(error_of([&] { read_planetlab_trace(d.write("fraction", "12.5\n" + lines(287))); }).find("line 1:") != std::string::npos);
  CHECK(error_of([&] { read_planetlab_trace(d.write("gap", lines(3) + "\n" + lines(284))); })
            .find("gap: line 4: empty line") != std::string::npos);
  const std::string spaced = d.write("a name with spaces", lines(3) + "x\n" + lines(284));
  CHECK(error_of([&] { read_planetlab_trace(spaced); }).find("a name with spaces: line 4:") != std::string::npos);
  const std::string huge = d.write("huge", std::string((1 << 20) + 10, '1'));
  CHECK(error_of([&] { read_planetlab_trace(huge); }).find("larger than 1 MiB") != std::string::npos);
  fs::create_directory(d.path / "sub");
  CHECK(error_of([&] { read_planetlab_trace((d.path / "sub").string()); }).find("is a directory") != std::string::npos);
  REQUIRE(::mkfifo((d.path / "fifo").c_str(), 0600) == 0);
  CHECK(error_of([&] { read_planetlab_trace((d.path / "fifo").string()); }).find("is not a regular file") != std::string::npos);
  CHECK(error_of([&] { read_planetlab_trace((d.path / "missing").string()); }).find("cannot open file") != std::string::npos);
}

TEST_CASE("bad PlanetLab folders: missing, a file, empty, or holding something that is not a trace")
{
  TempFolder d;
  CHECK(error_of([&] { read_planetlab_folder((d.path / "nowhere").string()); }).find("no such folder") != std::string::npos);
  const std::string file = d.write("file", lines(288));
  CHECK(error_of([&] { read_planetlab_folder(file); }).find("is not a folder") != std::string::npos);
  fs::create_directory(d.path / "empty");
  CHECK(error_of([&] { read_planetlab_folder((d.path / "empty").string()); }).find("the folder is empty") != std::string::npos);
  fs::create_directory(d.path / "day");
  std::ofstream(d.path / "day" / "vm 1") << lines(288);
  REQUIRE(::mkfifo((d.path / "day" / "vm 2").c_str(), 0600) == 0);
  CHECK(error_of([&] { read_planetlab_folder((d.path / "day").string()); }).find("day/vm 2: is not a regular file") != std::string::npos);
}

TEST_CASE("the Bitbrains sample: 12 rows, 300 s apart, CPU % as utilisation, the VM's cores, capacity, memory")
{
  const CpuTrace t = read_bitbrains_trace(samples + "/bitbrains/1.csv");
  REQUIRE(t.utilisation.size() == 12);
  CHECK(t.name == "1.csv");
  CHECK(t.time_s[0] == 0);
  CHECK(t.time_s[11] == 3300);
  CHECK(t.utilisation[1] == doctest::Approx(0.05));
  CHECK(t.utilisation[11] == doctest::Approx(0.55));
  CHECK(t.cores == 2);
  CHECK(t.capacity_Hz == 5852e6);
  CHECK(t.memory_bytes == 4194304.0 * 1024);
}

TEST_CASE("bad Bitbrains traces: one located line each")
{
  TempFolder d;
  auto read = [&](const std::string& name, const std::string& text) {
    return error_of([&] { read_bitbrains_trace(d.write(name, text)); });
  };
  CHECK(read("empty", "").find("empty: the file is empty") != std::string::npos);
  CHECK(read("header-only", bitbrains_header).find("has a header but no rows") != std::string::npos);
  CHECK(read("no-header", bitbrains_row(0)).find("line 1: expected the Bitbrains header") != std::string::npos);
  CHECK(read("fields", bitbrains_header + bitbrains_row(0) + "1;\t2;\t3\n").find("line 3: expected 11 fields") != std::string::npos);
  CHECK(read("text", bitbrains_header + bitbrains_row(0, "lots")).find("line 2, column cpu_usage_percent: expected a finite number, got \"lots\"") != std::string::npos);
  CHECK(read("range", bitbrains_header + bitbrains_row(0, "100.5")).find("line 2, column cpu_usage_percent: a CPU usage in percent must be from 0 to 100") != std::string::npos);
  CHECK(read("negative", bitbrains_header + bitbrains_row(0, "-3")).find("line 2, column cpu_usage_percent: must be zero or positive") != std::string::npos);
  CHECK(read("cores", bitbrains_header + bitbrains_row(0, "5", "0")).find("line 2, column cpu_cores") != std::string::npos);
  CHECK(read("time", bitbrains_header + bitbrains_row(600) + bitbrains_row(300)).find("line 3, column timestamp: timestamps must increase") != std::string::npos);
  CHECK(read("nan", bitbrains_header + bitbrains_row(0, "nan")).find("expected a finite number") != std::string::npos);
  CHECK(read("overflow", bitbrains_header + bitbrains_row(0, "1e999")).find("expected a finite number") != std::string::npos);
  // Blank lines and CRLF are fine.
  const CpuTrace ok = read_bitbrains_trace(d.write("ok", bitbrains_header + "\r\n" + bitbrains_row(10) + bitbrains_row(310, "50")));
  CHECK(ok.time_s == std::vector<double>{0, 300});
  CHECK(ok.utilisation[1] == doctest::Approx(0.5));
}
