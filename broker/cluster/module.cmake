# broker/cluster: the pure core of clustering (framing, messages, handshake, replicated metadata,
# membership, netsplit policy, outgoing buffer, link rules, admin messages). No sockets: the links
# that carry it are in broker/cluster_net.
ternmq_module(broker_cluster
  SOURCES cluster/error.cpp cluster/wire.cpp cluster/frame.cpp cluster/hybrid_clock.cpp
          cluster/metadata_entry.cpp cluster/metadata_map.cpp cluster/metadata_types.cpp
          cluster/codec_fields.cpp cluster/codec_control.cpp cluster/codec_replication.cpp
          cluster/codec_session.cpp cluster/messages.cpp cluster/proof.cpp cluster/handshake.cpp
          cluster/membership.cpp cluster/netsplit_policy.cpp cluster/outgoing_buffer.cpp
          cluster/codec_admin.cpp cluster/link_rules.cpp cluster/discovery_node.cpp
  DEPS broker_codec broker_topic core_base OpenSSL::Crypto)
