// Matching a host organisation the text names against the organisation tree (issue 18) by more
// than its exact name: 包头市总工会 ↔ 包头市总, 某某公司工会 ↔ 某某有限公司工会 ↔ 某某公司, with or
// without the trailing 工会, with or without a region's name in front. Pure; the caller passes
// only the organisations of the importer's subtree, so a match never leaves it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"

namespace xj::extract {

struct KnownOrganisation;
struct KnownRegion;

enum class OrgMatchKind {
  kNone,       // not in the tree: the importer's own organisation is the fallback
  kExact,      // the same name
  kShortForm,  // the same name once forms are folded (总工会/市总, 有限公司/公司, 工会)
  kNoRegion,   // the same once a region's name in front is dropped too, and only one such
};
std::string_view org_match_kind_name(OrgMatchKind k);  // "none", "exact", "short_form", "no_region"

struct OrgMatch {
  OrgMatchKind kind = OrgMatchKind::kNone;
  std::optional<Id> id;
  std::string name;         // the tree's name of the match
  double confidence = 0.0;  // 1.0 exact, 0.9 short form, 0.7 without the region; 0 none
};

// The folded key of a name: full-width spaces and brackets gone, 总工会 → 总, 股份有限公司 and
// 有限责任公司 and 有限公司 → 公司, a trailing 工会 dropped, 集团公司 → 集团.
std::string fold_organisation_name(std::string_view name);

// The best match of `name` among `organisations`; an ambiguous fuzzy match (two organisations
// with the same folded key) is no match.
OrgMatch match_organisation(std::string_view name,
                            const std::vector<KnownOrganisation>& organisations,
                            const std::vector<KnownRegion>& regions);

}  // namespace xj::extract
