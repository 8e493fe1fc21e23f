// Reading and writing the Properties block (length + properties) of MQTT 5.0 packets.
#pragma once

#include <string>

#include "broker/codec/properties.hpp"
#include "broker/codec/wire.hpp"

namespace ternmq::codec {

// Reads a Properties block allowed in `ctx` into `out`. On failure latches `in` with
// malformed_packet (unknown id, wrong context, bad value) or protocol_error (duplicate, or a
// value the spec calls a protocol error such as Receive Maximum 0).
void read_properties(wire_reader& in, property_context ctx, properties& out);

// Appends the Properties block: its length as a variable byte integer, then each property.
void write_properties(wire_writer& out, const properties& props);

// Bytes `write_properties` would append.
std::size_t properties_wire_size(const properties& props);

}  // namespace ternmq::codec
