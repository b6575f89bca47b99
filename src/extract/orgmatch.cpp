#include "extract/orgmatch.hpp"

#include <algorithm>

#include "extract/extract.hpp"
#include "extract/u32.hpp"

namespace xj::extract {

using detail::decode;
using detail::encode;

namespace {

bool ends_with(const std::u32string& s, std::u32string_view tail) {
  return s.size() >= tail.size() && std::u32string_view(s).substr(s.size() - tail.size()) == tail;
}

void replace_tail(std::u32string& s, std::u32string_view tail, std::u32string_view with) {
  s.resize(s.size() - tail.size());
  s += with;
}

std::u32string fold(std::u32string_view name) {
  std::u32string s;
  for (const char32_t c : name) {
    if (detail::is_space(c) || c == U'（' || c == U'）' || c == U'(' || c == U')') continue;
    s.push_back(c);
  }
  // 工会 at the end, and what it follows.
  if (ends_with(s, U"总工会")) {
    replace_tail(s, U"总工会", U"总");
  } else if (ends_with(s, U"工会") && s.size() > 2) {
    replace_tail(s, U"工会", U"");
  }
  for (const std::u32string_view long_form : {U"股份有限公司", U"有限责任公司", U"有限公司"}) {
    if (ends_with(s, long_form)) {
      replace_tail(s, long_form, U"公司");
      break;
    }
  }
  if (ends_with(s, U"集团公司")) replace_tail(s, U"集团公司", U"集团");
  return s;
}

// The names of regions that may stand in front of an organisation's name: long (包头市) and
// short (包头) forms, longest first.
std::vector<std::u32string> region_prefixes(const std::vector<KnownRegion>& regions) {
  std::vector<std::u32string> out;
  for (const auto& r : regions) {
    std::u32string n = decode(r.name);
    if (n.size() >= 2) out.push_back(n);
    for (const std::u32string_view tail : {U"自治区", U"市", U"盟", U"旗", U"县", U"区"}) {
      if (ends_with(n, tail) && n.size() - tail.size() >= 2) {
        out.push_back(n.substr(0, n.size() - tail.size()));
        break;
      }
    }
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.size() > b.size(); });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The folded name without the regions in front (several: 内蒙古包头市…), the longest first;
// stops where dropping one would leave less than two characters (昆都仑区总 stays whole).
std::u32string without_regions(std::u32string s, const std::vector<std::u32string>& prefixes) {
  for (;;) {
    const auto p = std::find_if(prefixes.begin(), prefixes.end(), [&s](const auto& r) {
      return std::u32string_view(s).substr(0, r.size()) == r;
    });
    if (p == prefixes.end() || s.size() < p->size() + 2) return s;
    s.erase(0, p->size());
  }
}

}  // namespace

std::string_view org_match_kind_name(OrgMatchKind k) {
  switch (k) {
    case OrgMatchKind::kExact:
      return "exact";
    case OrgMatchKind::kShortForm:
      return "short_form";
    case OrgMatchKind::kNoRegion:
      return "no_region";
    case OrgMatchKind::kNone:
      break;
  }
  return "none";
}

std::string fold_organisation_name(std::string_view name) { return encode(fold(decode(name))); }

OrgMatch match_organisation(std::string_view name,
                            const std::vector<KnownOrganisation>& organisations,
                            const std::vector<KnownRegion>& regions) {
  OrgMatch out;
  if (name.empty()) return out;
  for (const auto& o : organisations) {
    if (o.name == name) return {OrgMatchKind::kExact, o.id, o.name, 1.0};
  }
  const std::u32string key = fold(decode(name));
  if (key.size() < 2) return out;
  std::vector<const KnownOrganisation*> same;
  for (const auto& o : organisations) {
    if (fold(decode(o.name)) == key) same.push_back(&o);
  }
  if (same.size() == 1) return {OrgMatchKind::kShortForm, same[0]->id, same[0]->name, 0.9};
  if (same.size() > 1) return out;
  const auto prefixes = region_prefixes(regions);
  const std::u32string bare = without_regions(key, prefixes);
  if (bare.size() < 3) return out;  // 总, 公司: too little left to tell organisations apart
  for (const auto& o : organisations) {
    if (without_regions(fold(decode(o.name)), prefixes) == bare) same.push_back(&o);
  }
  if (same.size() == 1) return {OrgMatchKind::kNoRegion, same[0]->id, same[0]->name, 0.7};
  return out;
}

}  // namespace xj::extract
