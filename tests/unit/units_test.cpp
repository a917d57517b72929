#include "models/units.hpp"

#include <doctest/doctest.h>

using namespace migsim;

TEST_CASE("sizes accept binary and decimal prefixes and plain bytes")
{
  CHECK(parse_quantity("4GiB", Quantity::Bytes) == 4294967296.0);
  CHECK(parse_quantity("512MB", Quantity::Bytes) == 512e6);
  CHECK(parse_quantity("4KiB", Quantity::Bytes) == 4096.0);
  CHECK(parse_quantity("1.5 GB", Quantity::Bytes) == 1.5e9);
  CHECK(parse_quantity("123", Quantity::Bytes) == 123.0);
}

TEST_CASE("rates in bits and bytes per second")
{
  CHECK(parse_quantity("1Gbps", Quantity::Rate) == 125e6);
  CHECK(parse_quantity("128Mbps", Quantity::Rate) == 16e6);
  CHECK(parse_quantity("125MBps", Quantity::Rate) == 125e6);
  CHECK(parse_quantity("100MB/s", Quantity::Rate) == 100e6);
  CHECK(parse_quantity("1GiBps", Quantity::Rate) == 1073741824.0);
}

TEST_CASE("durations")
{
  CHECK(parse_quantity("30ms", Quantity::Duration) == doctest::Approx(0.03));
  CHECK(parse_quantity("100us", Quantity::Duration) == doctest::Approx(1e-4));
  CHECK(parse_quantity("2min", Quantity::Duration) == 120.0);
  CHECK(parse_quantity("1h", Quantity::Duration) == 3600.0);
}

TEST_CASE("a unit of the wrong kind or no number is rejected with what was expected")
{
  CHECK_THROWS_WITH_AS(parse_quantity("1Gbps", Quantity::Bytes), doctest::Contains("unknown unit \"Gbps\""), UnitError);
  CHECK_THROWS_WITH_AS(parse_quantity("4GiB", Quantity::Duration), doctest::Contains("a duration such as"), UnitError);
  CHECK_THROWS_AS(parse_quantity("fast", Quantity::Rate), UnitError);
  CHECK_THROWS_AS(parse_quantity("", Quantity::Rate), UnitError);
}
