# broker/cluster_net: the live cluster links over Asio (listeners, dialling, liveness, persisted
# membership, admin sessions), driving the pure core in broker/cluster.
ternmq_module(broker_cluster_net
  SOURCES cluster_net/peer_link.cpp cluster_net/membership_store.cpp cluster_net/cluster_service.cpp
          cluster_net/cluster_links.cpp cluster_net/cluster_admin.cpp
  DEPS broker_cluster broker_config core_kv core_asio)
