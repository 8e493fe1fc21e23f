// The body codec of each cluster message, one `put`/`get` pair per type, split by family over
// codec_control.cpp (handshake, liveness, membership), codec_replication.cpp (metadata and
// publish), codec_session.cpp (takeover) and codec_admin.cpp (admin sessions). Internal: callers use `encode`/`decode` in
// messages.hpp, which frame these bodies and check that `get` consumed every byte.
#pragma once

#include "broker/cluster/messages.hpp"
#include "broker/cluster/wire.hpp"

namespace ternmq::cluster::parts {

void put(wire_writer& w, const hello& m);
void get(wire_reader& r, hello& m);
void put(wire_writer& w, const auth& m);
void get(wire_reader& r, auth& m);
void put(wire_writer& w, const auth_ok& m);
void get(wire_reader& r, auth_ok& m);
void put(wire_writer& w, const auth_refused& m);
void get(wire_reader& r, auth_refused& m);
void put(wire_writer& w, const ping& m);
void get(wire_reader& r, ping& m);
void put(wire_writer& w, const pong& m);
void get(wire_reader& r, pong& m);
void put(wire_writer& w, const join& m);
void get(wire_reader& r, join& m);
void put(wire_writer& w, const members& m);
void get(wire_reader& r, members& m);
void put(wire_writer& w, const leave& m);
void get(wire_reader& r, leave& m);

void put(wire_writer& w, const metadata_sync& m);
void get(wire_reader& r, metadata_sync& m);
void put(wire_writer& w, const metadata_delta& m);
void get(wire_reader& r, metadata_delta& m);
void put(wire_writer& w, const publish& m);
void get(wire_reader& r, publish& m);

void put(wire_writer& w, const takeover_request& m);
void get(wire_reader& r, takeover_request& m);
void put(wire_writer& w, const session_transfer& m);
void get(wire_reader& r, session_transfer& m);
void put(wire_writer& w, const takeover_done& m);
void get(wire_reader& r, takeover_done& m);

void put(wire_writer& w, const admin_request& m);
void get(wire_reader& r, admin_request& m);
void put(wire_writer& w, const admin_reply& m);
void get(wire_reader& r, admin_reply& m);

}  // namespace ternmq::cluster::parts
