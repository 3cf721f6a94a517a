// The tests written in the API table, run by tests/api-test-runner.
#pragma once

#include <string>
#include <vector>

namespace vt {

enum class ApiTestInit { None, Empty, ScratchFS };

struct ApiTest {
  std::string call;
  ApiTestInit init;
  std::vector<std::string> steps;
};

const std::vector<ApiTest>& all_api_tests();

}  // namespace vt
