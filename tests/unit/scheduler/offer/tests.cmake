# Unit tests of scheduler/offer: placement parsing and rules, port assignment, evaluation stages and
# multi-instance scenarios.
ternmq_unit_test(scheduler_offer_test
  SOURCES unit/scheduler/offer/placement_rule_test.cpp unit/scheduler/offer/placement_test.cpp
          unit/scheduler/offer/port_assignment_test.cpp unit/scheduler/offer/offer_evaluator_test.cpp
  DEPS scheduler_offer)
