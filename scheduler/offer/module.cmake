# scheduler/offer: offer evaluation (placement rules, ports, resources) for pod launches (pure).
find_package(nlohmann_json REQUIRED)
ternmq_module(scheduler_offer
  SOURCES offer/placement_rule.cpp offer/placement.cpp offer/port_assignment.cpp offer/evaluation_stages.cpp
          offer/offer_evaluator.cpp
  DEPS scheduler_model core_base nlohmann_json::nlohmann_json)
