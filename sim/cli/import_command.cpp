#include "sim/cli/import_command.hpp"

#include "sim/output/atomic_write.hpp"
#include "sim/scenario/qemu_record.hpp"
#include "sim/scenario/scenario_error.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>

namespace migsim {

ImportCommand::ImportCommand(CLI::App& app)
{
  CLI::App* import = app.add_subcommand("import", "turn a record of a real migration into a scenario");
  import->require_subcommand(1);
  command_ = import->add_subcommand("qemu", "a QEMU migration record (query-migrate, calc-dirty-rate; docs/import.md)");
  command_->add_option("record", record_, "record JSON file")->required();
  command_->add_option("--out", out_, "scenario file to write (default: stdout); replaced atomically");
}

bool ImportCommand::chosen() const
{
  return command_->parsed();
}

int ImportCommand::run() const
{
  if (!out_.empty())  // before reading: --out must not be a FIFO or a device, nor the record itself
    check_output_file_free(out_, {record_});
  const QemuImport imported = import_qemu_record(record_);
  const std::string text    = imported.scenario.dump(2) + "\n";
  if (!out_.empty())  // first: a file that cannot be written is one error line, without the report before it
    write_file_atomically(out_, text);
  for (const auto& line : imported.report)
    std::fprintf(stderr, "migsim: import: %s\n", one_line(line).c_str());
  if (out_.empty())
    std::fputs(text.c_str(), stdout);
  return 0;
}

}  // namespace migsim
