// What a correction changed in a recorded session, worded for the audit log (操作日志).
#pragma once

#include <functional>
#include <string>

#include "domain/entities.hpp"

namespace xj::domain {

// Names what the office reads instead of codes: dictionary entries, campaigns. Each returns ""
// when it knows no name, and the code or id is shown instead.
struct ChangeNames {
  std::function<std::string(const std::string&)> audience_group;
  std::function<std::string(Id)> campaign;
};

// "现场听众 120 → 150；地点 “礼堂” → “车间”": each changed field with its value before and
// after, in the order of the form, long texts cut at 40 characters; "未作修改" when nothing
// changed. REQUIRES: both sessions read back from the store (names of hosts, regions and
// lecturers filled in).
std::string describe_changes(const Session& before, const Session& after, const ChangeNames& names);

}  // namespace xj::domain
