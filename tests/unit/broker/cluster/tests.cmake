# broker/cluster: framing, messages (golden bytes, round trips, truncation and mutation fuzzing),
# handshake, hybrid clock, replicated metadata (with convergence properties), membership,
# netsplit policy, outgoing buffer, admin messages and link rules. Every random test uses a fixed seed.
ternmq_unit_test(cluster_test
  SOURCES unit/broker/cluster/cluster_test_support.cpp unit/broker/cluster/wire_test.cpp
          unit/broker/cluster/frame_test.cpp unit/broker/cluster/messages_test.cpp
          unit/broker/cluster/messages_fuzz_test.cpp unit/broker/cluster/handshake_test.cpp
          unit/broker/cluster/hybrid_clock_test.cpp unit/broker/cluster/metadata_map_test.cpp
          unit/broker/cluster/metadata_convergence_test.cpp unit/broker/cluster/metadata_types_test.cpp
          unit/broker/cluster/membership_test.cpp unit/broker/cluster/netsplit_policy_test.cpp
          unit/broker/cluster/outgoing_buffer_test.cpp unit/broker/cluster/admin_messages_test.cpp
          unit/broker/cluster/link_rules_test.cpp
  DEPS broker_cluster)
# broker/cluster_net: the persisted member list (the links themselves are covered by
# tests/integration/broker/test_30_cluster_membership.py against real processes).
ternmq_unit_test(cluster_net_test SOURCES unit/broker/cluster_net/membership_store_test.cpp DEPS broker_cluster_net)
