// Fuzzes the network file parser of `sepconv cost --network` (netcost/network): any text is
// either a network whose layer costs can be computed, or a sepconv::Error naming the line.

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "netcost/network.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 1 << 16) return 0;
  try {
    const sepconv::netcost::Network network = sepconv::netcost::parse_network_text(
        std::string(reinterpret_cast<const char*>(data), size), "fuzz.txt");
    (void)network;
  } catch (const sepconv::Error&) {
  }
  return 0;
}
