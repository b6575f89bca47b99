#include "domain/labels.hpp"

#include <array>

namespace xj::domain {

namespace {

// GB/T 4754-2017 sections (门类), A to T.
constexpr std::array<Label, 20> kIndustries = {{
    {"农、林、牧、渔业", "Agriculture, forestry, animal husbandry and fishery"},
    {"采矿业", "Mining"},
    {"制造业", "Manufacturing"},
    {"电力、热力、燃气及水生产和供应业", "Electricity, heat, gas and water"},
    {"建筑业", "Construction"},
    {"批发和零售业", "Wholesale and retail"},
    {"交通运输、仓储和邮政业", "Transport, storage and post"},
    {"住宿和餐饮业", "Accommodation and catering"},
    {"信息传输、软件和信息技术服务业", "Information, software and IT services"},
    {"金融业", "Finance"},
    {"房地产业", "Real estate"},
    {"租赁和商务服务业", "Leasing and business services"},
    {"科学研究和技术服务业", "Research and technical services"},
    {"水利、环境和公共设施管理业", "Water, environment and public facilities"},
    {"居民服务、修理和其他服务业", "Resident, repair and other services"},
    {"教育", "Education"},
    {"卫生和社会工作", "Health and social work"},
    {"文化、体育和娱乐业", "Culture, sports and entertainment"},
    {"公共管理、社会保障和社会组织", "Public administration and social organisations"},
    {"国际组织", "International organisations"},
}};

}  // namespace

Label industry_label(std::string_view letter) {
  if (letter.size() == 1 && letter[0] >= 'A' && letter[0] <= 'T') {
    return kIndustries[static_cast<std::size_t>(letter[0] - 'A')];
  }
  return {};
}

Label format_label(SessionFormat format) {
  switch (format) {
    case SessionFormat::kOffline:
      return {"线下", "Offline"};
    case SessionFormat::kOnline:
      return {"线上", "Online"};
    case SessionFormat::kHybrid:
      return {"主会场+分会场", "Hybrid"};
  }
  return {};
}

Label source_label(SessionSource source) {
  switch (source) {
    case SessionSource::kOrdered:
      return {"点单宣讲", "Ordered"};
    case SessionSource::kUnordered:
      return {"自主宣讲", "Not ordered"};
    case SessionSource::kImported:
      return {"批量导入", "Imported"};
  }
  return {};
}

Label order_state_label(OrderState state) {
  switch (state) {
    case OrderState::kSubmitted:
      return {"待派单", "Submitted"};
    case OrderState::kDispatched:
      return {"已派单", "Dispatched"};
    case OrderState::kAccepted:
      return {"已接单", "Accepted"};
    case OrderState::kDelivered:
      return {"已宣讲", "Delivered"};
    case OrderState::kRated:
      return {"已评价", "Rated"};
    case OrderState::kCancelled:
      return {"已取消", "Cancelled"};
  }
  return {};
}

Label language_label(std::string_view code) {
  if (code == "zh") return {"汉语", "Chinese"};
  if (code == "mn") return {"蒙古语", "Mongolian"};
  return {};
}

}  // namespace xj::domain
