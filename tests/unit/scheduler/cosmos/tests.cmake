# Unit tests of scheduler/cosmos: schema validation, option resolution, the template context and the
# Marathon app of the repository's own package with the option sets of tests/package/options/.
ternmq_unit_test(scheduler_cosmos_test
  SOURCES unit/scheduler/cosmos/schema_validation_test.cpp unit/scheduler/cosmos/options_test.cpp
          unit/scheduler/cosmos/template_context_test.cpp unit/scheduler/cosmos/package_files_test.cpp
          unit/scheduler/cosmos/marathon_app_test.cpp
  DEPS scheduler_cosmos)
target_compile_definitions(scheduler_cosmos_test PRIVATE TERNMQ_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
