// Field groups that several cluster messages and map values share: node names, timestamps,
// message properties and application messages. Internal to the cluster codec; the wire layout
// of each group is in docs/clustering.md ("Field groups").
//
// Readers validate as they go and latch failures in the `wire_reader`, like its primitives.
#pragma once

#include "broker/cluster/app_message.hpp"
#include "broker/cluster/hybrid_clock.hpp"
#include "broker/cluster/wire.hpp"

namespace ternmq::cluster::fields {

// A text field that must be a valid node name.
std::string get_nodename(wire_reader& r);
// A QoS byte (0..2).
std::uint8_t get_qos(wire_reader& r);
// A text field that must be a valid topic name (no wildcards).
std::string get_topic_name(wire_reader& r);
// A text field that must be a valid topic filter, plain or `$share/<group>/<filter>`.
std::string get_topic_filter(wire_reader& r);

void put_stamp(wire_writer& w, const hlc_timestamp& t);
hlc_timestamp get_stamp(wire_reader& r);

void put_properties(wire_writer& w, const message_properties& p);
message_properties get_properties(wire_reader& r);

void put_app_message(wire_writer& w, const app_message& m);
app_message get_app_message(wire_reader& r);

}  // namespace ternmq::cluster::fields
