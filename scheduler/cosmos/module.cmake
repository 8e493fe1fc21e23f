# scheduler/cosmos: what Cosmos does with a package and an options file (defaults, merge, draft-04
# validation, marathon.json.mustache rendering) down to the scheduler's environment (pure apart from
# reading the package files).
find_package(nlohmann_json REQUIRED)
ternmq_module(scheduler_cosmos
  SOURCES cosmos/schema_validation.cpp cosmos/options.cpp cosmos/template_context.cpp cosmos/package_files.cpp
          cosmos/marathon_app.cpp
  DEPS scheduler_spec core_base nlohmann_json::nlohmann_json)
