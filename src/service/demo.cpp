// The demo campaign. Every name of a person here is invented; organisations are generic
// descriptions of the kinds of unions that order lectures, not real bodies.
#include <algorithm>
#include <array>
#include <cmath>
#include <future>
#include <stdexcept>

#include "domain/validation.hpp"
#include "service/auth.hpp"
#include "service/orders.hpp"
#include "service/photos.hpp"
#include "service/setup.hpp"

namespace xj::service {
namespace {

using domain::DictionaryKind;
using domain::OrganisationLevel;

// SplitMix64: the same sequence on every platform and compiler, unlike std distributions.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  std::size_t index(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  double unit() { return static_cast<double>(next() >> 11) / 9007199254740992.0; }

 private:
  std::uint64_t state_;
};

class TxReferences final : public domain::References {
 public:
  explicit TxReferences(store::Tx& tx) : tx_(tx) {}
  bool region_exists(std::string_view code) const override { return tx_.region_exists(code); }
  bool dictionary_has(DictionaryKind kind, std::string_view code) const override {
    return tx_.dictionary_has(kind, code);
  }

 private:
  store::Tx& tx_;
};

// The same answers as TxReferences, each looked up once: a million generated sessions name a
// few dozen regions and dictionary codes.
class CachedReferences final : public domain::References {
 public:
  explicit CachedReferences(const domain::References& inner) : inner_(inner) {}
  bool region_exists(std::string_view code) const override {
    auto it = regions_.find(std::string(code));
    if (it == regions_.end()) {
      it = regions_.emplace(std::string(code), inner_.region_exists(code)).first;
    }
    return it->second;
  }
  bool dictionary_has(DictionaryKind kind, std::string_view code) const override {
    const auto key = std::make_pair(static_cast<int>(kind), std::string(code));
    auto it = codes_.find(key);
    if (it == codes_.end()) it = codes_.emplace(key, inner_.dictionary_has(kind, code)).first;
    return it->second;
  }

 private:
  const domain::References& inner_;
  mutable std::map<std::string, bool> regions_;
  mutable std::map<std::pair<int, std::string>, bool> codes_;
};

// Sessions written one by one, or gathered and written in bulk (DemoOptions::loading).
class SessionSink {
 public:
  static constexpr std::size_t kBatch = 20'000;
  SessionSink(store::Tx& tx, bool bulk, const DemoOptions& options, std::int64_t total)
      : tx_(tx), bulk_(bulk), options_(options), total_(total) {}
  void add(domain::Session s) {
    if (!bulk_) {
      tx_.insert_session(s, std::nullopt);
      tell(++written_);
      return;
    }
    batch_.push_back(std::move(s));
    if (batch_.size() == kBatch) flush();
  }
  // Writes what is gathered. REQUIRES: before commit.
  void finish() {
    if (bulk_ && !batch_.empty()) flush();
  }

 private:
  void flush() {
    tx_.bulk_insert_sessions(batch_, std::nullopt);
    written_ += static_cast<std::int64_t>(batch_.size());
    batch_.clear();
    tell(written_);
  }
  void tell(std::int64_t done) const {
    if (options_.progress && (bulk_ || done % 1000 == 0 || done == total_)) {
      options_.progress("sessions", done, total_);
    }
  }

  store::Tx& tx_;
  bool bulk_;
  const DemoOptions& options_;
  std::int64_t total_;
  std::int64_t written_ = 0;
  std::vector<domain::Session> batch_;
};

template <class T>
void must_be_valid(T& record, const domain::References& refs) {
  if (auto errors = domain::validate(record, refs); !errors.empty()) {
    throw std::logic_error("demo data invalid: " + errors.front().field + ": " +
                           errors.front().message.en);
  }
}

struct UnionSpec {
  const char* league;  // GB/T 2260 code of the league/city, "" = directly under the root
  const char* name;
  const char* industry;  // GB/T 4754 section
  const char* audience;  // audience group code
  const char* venue;
};

constexpr auto kUnions = std::to_array<UnionSpec>({
    {"150100", "呼和浩特市乳业集团职工工会", "C", "frontline_workers", "生产车间会议室"},
    {"150100", "呼和浩特市第一医院工会", "Q", "medical_staff", "门诊楼多功能厅"},
    {"150100", "呼和浩特市快递物流行业工会联合会", "G", "new_forms", "快递员爱心驿站"},
    {"150100", "呼和浩特市公共交通集团工会", "G", "frontline_workers", "公交场站职工之家"},
    {"150200", "包头稀土新材料公司工会", "C", "frontline_workers", "车间班前会议室"},
    {"150200", "包头市钢铁集团炼铁厂工会", "C", "frontline_workers", "高炉值班室"},
    {"150200", "包头市外卖配送骑手工会", "G", "new_forms", "骑手暖心驿站"},
    {"150200", "包头市第四医院工会", "Q", "medical_staff", "住院部学术报告厅"},
    {"150200", "包头市公交运输公司工会", "G", "frontline_workers", "调度中心会议室"},
    {"150300", "乌海市焦化集团工会", "C", "frontline_workers", "厂区职工书屋"},
    {"150300", "乌海市矿业公司工会", "B", "miners", "井口班前会议室"},
    {"150400", "赤峰市设施农业合作社联合工会", "A", "farmers_herders", "温室大棚"},
    {"150400", "赤峰市黄金矿业公司工会", "B", "miners", "矿区职工之家"},
    {"150400", "赤峰学院工会", "P", "teachers", "学术报告厅"},
    {"150400", "赤峰市中心医院工会", "Q", "medical_staff", "医院礼堂"},
    {"150500", "通辽市热电厂工会", "D", "frontline_workers", "集控室"},
    {"150500", "通辽市玉米种植专业合作社工会", "A", "farmers_herders", "合作社晒场"},
    {"150500", "通辽市快递行业工会", "G", "new_forms", "分拣中心休息区"},
    {"150600", "鄂尔多斯市煤业集团工会", "B", "miners", "矿区会议中心"},
    {"150600", "鄂尔多斯市绒纺企业工会", "C", "frontline_workers", "纺纱车间"},
    {"150600", "鄂尔多斯市光伏电站工会", "D", "young_workers", "电站运维中心"},
    {"150600", "鄂尔多斯市网约车司机工会", "G", "new_forms", "司机之家"},
    {"150700", "呼伦贝尔市牧业合作社联合工会", "A", "farmers_herders", "牧民之家"},
    {"150700", "呼伦贝尔市林业职工工会", "A", "frontline_workers", "林场会议室"},
    {"150700", "满洲里口岸物流工会", "G", "frontline_workers", "口岸职工之家"},
    {"150800", "巴彦淖尔市河套灌区管理工会", "N", "frontline_workers", "灌区管理所"},
    {"150800", "巴彦淖尔市乳品加工企业工会", "C", "frontline_workers", "加工车间"},
    {"150900", "乌兰察布市物流园区工会", "G", "new_forms", "园区服务中心"},
    {"150900", "乌兰察布市风电场工会", "D", "young_workers", "风电场中控室"},
    {"152200", "兴安盟人民医院工会", "Q", "medical_staff", "医院会议室"},
    {"152200", "兴安盟农牧业合作社工会", "A", "farmers_herders", "嘎查文化室"},
    {"152500", "锡林郭勒盟电力公司工会", "D", "frontline_workers", "变电站值班室"},
    {"152500", "锡林郭勒盟草原牧场工会", "A", "farmers_herders", "牧区蒙古包"},
    {"152500", "锡林郭勒盟直属机关工会", "S", "officials", "机关会议室"},
    {"152900", "阿拉善盟化工园区工会", "C", "frontline_workers", "园区培训中心"},
    {"152900", "阿拉善盟盐湖公司工会", "B", "miners", "盐湖作业区"},
    {"152900", "阿拉善盟直属机关工会", "S", "officials", "盟直机关礼堂"},
    {"", "内蒙古电力集团工会", "D", "frontline_workers", "集团报告厅"},
    {"", "自治区直属机关工会", "S", "officials", "机关大礼堂"},
    {"", "内蒙古大学工会", "P", "teachers", "学术交流中心"},
});

constexpr std::array<const char*, 40> kSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱",
    "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "韩", "冯", "邓",
    "曹", "彭", "田", "董", "袁", "潘", "于", "蒋", "杜", "苏", "魏", "白"};
constexpr std::array<const char*, 40> kGivenNames = {
    "建国", "晓燕", "志强", "丽华", "海峰", "秀兰", "振宇", "春梅", "卫东", "玉珍",
    "国庆", "红霞", "文博", "淑芬", "永刚", "慧敏", "立新", "雪莲", "宏伟", "金花",
    "明远", "素琴", "铁军", "亚楠", "德胜", "桂英", "嘉诚", "佳怡", "长青", "秋菊",
    "晓东", "艳萍", "宝山", "静怡", "广平", "美玲", "向阳", "翠萍", "新民", "婉清"};
// kGivenNames alternates: even entries are men's names, odd ones women's.
// Mongolian given names are used alone, as is customary.
constexpr std::array<const char*, 12> kMongolianNames = {
    "巴特尔", "其其格", "乌日娜", "额尔德木图", "萨仁高娃", "苏和",
    "朝鲁",   "敖登",   "图雅",   "孟和",       "那日苏",   "斯琴"};
constexpr std::array<bool, 12> kMongolianNameIsFemale = {false, true, true, false, true,  false,
                                                         false, true, true, false, false, true};
// The industry (GB/T 4754 section) of a session a federation hosts for an audience group: where
// that group works, so that every session has an industry.
const char* industry_of_audience(std::string_view group) {
  if (group == "new_forms") return "G";          // couriers, riders, drivers
  if (group == "farmers_herders") return "A";    // agriculture, forestry, animal husbandry
  if (group == "medical_staff") return "Q";      // health
  if (group == "miners") return "B";             // mining
  if (group == "teachers") return "P";           // education
  if (group == "young_workers") return "D";      // power, where the demo's young workers are
  if (group == "frontline_workers") return "C";  // manufacturing
  return "S";                                    // public administration (officials)
}

// Audience groups a league or banner federation gathers for its own sessions.
constexpr auto kFederationAudiences = std::to_array<const char*>(
    {"officials", "frontline_workers", "new_forms", "young_workers", "farmers_herders"});

struct CategorySpec {
  const char* code;
  int count;
  std::array<const char*, 2> honours;
};
constexpr auto kCategories = std::to_array<CategorySpec>({
    {"congress_delegate", 10, {"党的二十大代表", "全国劳动模范"}},
    {"model_worker", 14, {"全国劳动模范", "自治区劳动模范"}},
    {"craftsman", 12, {"北疆工匠", "全国技术能手"}},
    {"union_official", 10, {"全国优秀工会工作者", "自治区优秀工会干部"}},
    {"scholar", 8, {"自治区党委宣讲团成员", "自治区教学名师"}},
    {"advanced_worker", 6, {"全国五一劳动奖章", "自治区五一劳动奖章"}},
});

constexpr auto kUniversities = std::to_array<const char*>(
    {"内蒙古大学", "内蒙古师范大学", "内蒙古工业大学", "内蒙古农业大学"});
constexpr auto kTopics = std::to_array<const char*>(
    {"twentieth_congress", "model_worker_spirit", "craftsmanship", "work_safety", "worker_rights",
     "ethnic_unity", "ecology", "rural_revitalisation", "innovation", "law"});
constexpr auto kTitles = std::to_array<const char*>({
    "学习贯彻党的二十大精神 奋进新征程建功新时代",
    "踔厉奋发 勇毅前行——党的二十大报告解读",
    "弘扬劳模精神 争做新时代奋斗者",
    "以工匠精神托起北疆制造",
    "把党的二十大精神带到田间地头",
    "铸牢中华民族共同体意识 守望相助团结奋斗",
    "新就业形态劳动者权益保障面对面",
    "安全生产责任在肩 平安发展人人有责",
    "绿色发展与生态文明建设的北疆实践",
    "科技创新赋能产业工人队伍建设改革",
    "从党的二十大报告看职工幸福生活",
    "我的劳模之路：二十年坚守一线",
});
constexpr auto kStartTimes =
    std::to_array<const char*>({"09:00", "09:30", "10:00", "14:30", "15:00", "19:00"});

struct OrgRef {
  Id id;
  std::string path;
  std::string region;
  std::string industry;
  std::string audience;
  std::string venue;
  std::string league;  // region code of its league/city ("" for the root's own)
};

// Orders in every state, driven through the workflow itself so that each one passed the same
// checks as one entered by hand: who may act, the dispatch checks, the history, the inbox.
void seed_orders(store::Store& store, Id campaign_id, const std::vector<OrgRef>& unions,
                 const std::vector<Id>& corps, Rng& rng) {
  Principal admin;
  Principal organiser;
  Principal lecturer;
  Principal requester;
  {
    store::Tx tx = store.read();
    admin = *tx.principal(tx.credentials("admin")->account.id);
    organiser = *tx.principal(tx.credentials("organiser")->account.id);
    lecturer = *tx.principal(tx.credentials("lecturer")->account.id);
    requester = *tx.principal(tx.credentials("requester")->account.id);
  }
  // Each order is placed a week before its window opens, in 2022, as the unions did.
  Date placed_on = Date::from_ymd(2022, 11, 1);
  WorkflowOptions placing;
  placing.today = [&placed_on] { return placed_on; };
  Workflow workflow(store, placing);
  const Id requester_org = requester.organisation_id;
  static constexpr auto kDeclineReasons = std::to_array<const char*>(
      {"当天在外地参加劳模座谈会，无法前往", "单位临时安排生产任务，时间冲突",
       "身体不适，建议改派其他宣讲员"});
  static constexpr auto kComments = std::to_array<const char*>(
      {"讲得生动，职工爱听", "贴近一线，很受启发", "内容扎实，建议多来几次", "案例丰富，互动热烈"});
  for (int i = 0; i < 36; ++i) {
    const bool own = i % 6 == 0;  // the demo requester's own union orders every sixth
    const OrgRef& u = own ? *std::find_if(unions.begin(), unions.end(),
                                          [&](const OrgRef& r) { return r.id == requester_org; })
                          : unions[static_cast<std::size_t>(i * 7) % unions.size()];
    domain::Order o;
    o.organisation_id = u.id;
    o.campaign_id = campaign_id;
    o.window_from = Date::from_ymd(2022, 11, 7).plus_days(2 * i);
    o.window_to = o.window_from.plus_days(6);
    placed_on = o.window_from.plus_days(-7);
    o.region_code = u.region;
    o.address = u.venue;
    o.audience_group = u.audience;
    o.expected_audience = rng.between(40, 300);
    o.preferred_format =
        i % 5 == 3 ? domain::SessionFormat::kOnline : domain::SessionFormat::kOffline;
    o.topic = kTopics[1 + static_cast<std::size_t>(i) % 9];
    o.priority = 1 + i % 5;
    o.contact_name = "工会干事";
    o.contact_phone = "0471-" + std::to_string(6000000 + rng.between(0, 999999));
    o.note = i % 4 == 0 ? "希望安排劳模、工匠结合亲身经历宣讲" : "";
    const Principal& orderer = own ? requester : organiser;
    auto created = workflow.create_order(orderer, o);
    if (!created) throw std::logic_error("demo order invalid: " + created.error().message.en);
    domain::Order order = *created;
    // The campaign is over, so every order has ended: 0 withdrawn before anyone was sent,
    // 1 and 3 delivered, 2 and 4 rated, 5 cancelled (some after acceptance).
    const int target = i % 6;
    auto withdraw = [&] {
      (void)workflow.cancel(orderer, order.id, order.version, "活动期间未能安排，单位撤回点单");
    };
    if (target == 0) {
      withdraw();
      continue;
    }
    if (target == 5 && i % 12 == 5) {
      order = *workflow.cancel(orderer, order.id, order.version, "生产任务调整，改期再报");
      continue;
    }
    // Dispatch: the demo lecturer for a third of them, so that their agenda is not empty; the
    // first free day in the window, else another lecturer.
    auto try_dispatch = [&](bool prefer_demo_lecturer) -> bool {
      for (int attempt = 0; attempt < 12; ++attempt) {
        service::DispatchRequest d;
        d.version = order.version;
        d.lecturer_id = prefer_demo_lecturer && attempt < 6 ? *lecturer.lecturer_id
                                                            : corps[rng.index(corps.size())];
        d.date = order.window_from.plus_days(attempt % 7);
        d.start_time = TimeOfDay::parse(attempt % 2 == 0 ? "09:30" : "15:00");
        d.end_time = TimeOfDay::from_minutes(d.start_time->minutes() + 90);
        if (auto r = workflow.dispatch(organiser, order.id, d)) {
          order = *r;
          return true;
        }
      }
      return false;
    };
    if (!try_dispatch(i % 3 == 1)) {
      withdraw();
      continue;
    }
    const bool mine = order.lecturer_id == lecturer.lecturer_id;
    const Principal& answering = mine ? lecturer : organiser;
    if (i % 4 == 1) {  // a decline first, then someone else
      order = *workflow.decline(answering, order.id, order.version,
                                kDeclineReasons[static_cast<std::size_t>(i) % 3]);
      if (!try_dispatch(false)) {
        withdraw();
        continue;
      }
    }
    const bool mine_now = order.lecturer_id == lecturer.lecturer_id;
    const Principal& acting = mine_now ? lecturer : organiser;
    order = *workflow.accept(acting, order.id, order.version);
    if (target == 5) {
      order = *workflow.cancel(organiser, order.id, order.version, "宣讲员临时外出，活动延期");
      continue;
    }
    domain::Session s;
    s.title = kTitles[static_cast<std::size_t>(i) % std::size(kTitles)];
    s.format = order.preferred_format;
    s.audience_offline = s.format == domain::SessionFormat::kOnline ? 0 : rng.between(40, 260);
    s.online_viewers = s.format == domain::SessionFormat::kOnline ? rng.between(300, 3000) : 0;
    s.industry = u.industry;
    s.summary = "应" + order.organisation_name + "点单，宣讲员结合亲身经历解读" + s.title + "。";
    auto delivered = workflow.deliver(acting, order.id, order.version, s);
    if (!delivered)
      throw std::logic_error("demo delivery invalid: " + delivered.error().message.en);
    order = *delivered;
    if (target % 2 == 1) continue;
    service::RateRequest rate;
    rate.version = order.version;
    rate.rating = 4 + static_cast<int>(rng.between(0, 1));
    rate.comment = kComments[static_cast<std::size_t>(i) % 4];
    order = *workflow.rate(own ? requester : admin, order.id, rate);
  }
}

// The demo's "photos": small generated pictures (a stage, a banner, rows of seats), written as
// real PNG files with stored deflate blocks, so that the demo needs no image library.
std::string demo_picture(int variant) {
  constexpr int kW = 240;
  constexpr int kH = 160;
  std::string raw;
  for (int y = 0; y < kH; ++y) {
    raw.push_back('\0');  // filter: none
    for (int x = 0; x < kW; ++x) {
      unsigned char r = 235, g = 228, b = 214;  // a hall's wall
      if (y < 46 && x > 30 && x < 210) {        // the red banner
        r = 190;
        g = static_cast<unsigned char>(24 + variant * 9);
        b = 40;
      } else if (y > 100 && ((x / 12 + y / 10 + variant) % 3 == 0)) {  // rows of the audience
        r = 60;
        g = 70;
        b = static_cast<unsigned char>(90 + variant * 7);
      }
      raw.push_back(static_cast<char>(r));
      raw.push_back(static_cast<char>(g));
      raw.push_back(static_cast<char>(b));
    }
  }
  auto crc = [](const std::string& data) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (const char ch : data) {
      c ^= static_cast<unsigned char>(ch);
      for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return c ^ 0xFFFFFFFFu;
  };
  auto be32 = [](std::uint32_t v) {
    std::string out;
    for (int shift = 24; shift >= 0; shift -= 8)
      out.push_back(static_cast<char>((v >> shift) & 0xFF));
    return out;
  };
  auto chunk = [&](const char* type, const std::string& data) {
    const std::string body = std::string(type, 4) + data;
    return be32(static_cast<std::uint32_t>(data.size())) + body + be32(crc(body));
  };
  std::string z("\x78\x01", 2);
  std::uint32_t a = 1, b2 = 0;
  for (const char ch : raw) {
    a = (a + static_cast<unsigned char>(ch)) % 65521;
    b2 = (b2 + a) % 65521;
  }
  for (std::size_t at = 0; at < raw.size(); at += 65535) {
    const std::size_t n = std::min<std::size_t>(65535, raw.size() - at);
    z.push_back(at + n == raw.size() ? '\x01' : '\x00');
    z.push_back(static_cast<char>(n & 0xFF));
    z.push_back(static_cast<char>(n >> 8));
    z.push_back(static_cast<char>(~n & 0xFF));
    z.push_back(static_cast<char>((~n >> 8) & 0xFF));
    z += raw.substr(at, n);
  }
  z += be32((b2 << 16) | a);
  const std::string header = be32(kW) + be32(kH) + std::string("\x08\x02\x00\x00\x00", 5);
  return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", header) + chunk("IDAT", z) +
         chunk("IEND", "");
}

// Two photos on each session that fulfils an order, through the same upload as the API's.
void seed_photos(store::Store& store, const std::filesystem::path& root) {
  Principal organiser;
  std::vector<Id> sessions;
  {
    store::Tx tx = store.read();
    organiser = *tx.principal(tx.credentials("organiser")->account.id);
    store::OrderFilter f;
    f.page.page_size = 200;
    for (const auto& o : tx.orders(f).items) {
      if (o.session_id) sessions.push_back(*o.session_id);
    }
  }
  Photos photos(store, root);
  int variant = 0;
  for (const Id s : sessions) {
    for (int k = 0; k < 2; ++k, ++variant) {
      auto done = photos.upload(organiser, s, std::nullopt, demo_picture(variant % 6));
      if (!done) throw std::logic_error("demo photo refused: " + done.error().message.en);
    }
  }
}

// QR feedback links on every tenth session, with the audience's answers and sign-ins as the
// public form would have recorded them (closed for the 2022 campaign, open for the last two
// weeks of the current one).
void seed_feedback(store::Store& store, Rng& rng, bool bulk, const DemoOptions& options) {
  static constexpr auto kQuotes = std::to_array<const char*>(
      {"听了劳模的故事，干劲更足了", "讲的都是身边事，接地气", "希望多来我们车间讲讲",
       "对新就业形态劳动者的权益讲得很清楚", ""});
  store::Tx tx = store.write();
  std::vector<store::FeedbackLinkRow> links;
  std::vector<store::FeedbackEntry> answers;
  std::vector<store::SignInRow> sign_ins;
  std::int64_t written = 0;
  auto flush = [&] {
    tx.bulk_insert_feedback(links, answers, sign_ins);
    written += static_cast<std::int64_t>(answers.size());
    links.clear();
    answers.clear();
    sign_ins.clear();
    if (options.progress) options.progress("answers", written, 0);
  };
  for (const auto& s : tx.session_groups_newest_first()) {
    if (s.id % 10 != 3) continue;
    if (bulk) {
      links.push_back({s.id, random_token(), now_utc()});
    } else {
      tx.set_feedback_link(s.id, random_token(), now_utc());
    }
    const int count = static_cast<int>(rng.between(3, 12));
    for (int a = 0; a < count; ++a) {
      store::FeedbackEntry f;
      f.session_id = s.id;
      f.at = now_utc();
      f.rating = rng.unit() < 0.7 ? 5 : (rng.unit() < 0.8 ? 4 : 3);
      f.comment = kQuotes[rng.index(std::size(kQuotes))];
      f.audience_group = s.audience_group;
      f.channel = "qr";
      f.quote = a == 0 && !f.comment.empty();
      f.browser = random_token();
      const bool signs_in = rng.unit() < 0.8;
      if (bulk) {
        if (signs_in) sign_ins.push_back({s.id, f.browser, "", f.at});
        answers.push_back(std::move(f));
        continue;
      }
      if (!tx.insert_feedback(f)) throw std::logic_error("demo feedback refused");
      if (signs_in && !tx.insert_attendance(s.id, f.browser, "", f.at)) {
        throw std::logic_error("demo sign-in refused");
      }
    }
    if (bulk && answers.size() >= 50'000) flush();
  }
  if (bulk) flush();
  if (options.progress) options.progress("answers: kept sums, commit", 0, 0);
  tx.commit();
}

// What the current campaign is built from: the organisations and the corps of the first.
struct DemoWorld {
  Id root_id = 0;
  std::vector<std::string> league_codes;
  std::vector<OrgRef> hosts;
  std::vector<OrgRef> grassroots;
  std::vector<Id> lecturers;
  std::vector<std::string> lecturer_league;  // "" = the autonomous region's corps
  std::vector<Id> corps;
};

// The campaign running on the day the demo is made: six weeks behind today, seven ahead, with
// sessions delivered up to yesterday (and this morning), orders in every state around today,
// today's lectures on the demo lecturer's agenda, open feedback forms (seed_feedback) and
// reminders that fall due as soon as the server runs.
void seed_current_campaign(store::Store& store, const DemoWorld& w, Date today, int sessions) {
  Rng rng(20261203);
  domain::Campaign campaign;
  const Date start = today.plus_days(-42);
  campaign.title = std::to_string(start.year()) + "年冬春“中国梦·劳动美”职工宣讲";
  campaign.owner_organisation_id = w.root_id;
  campaign.start_date = start;
  campaign.end_date = today.plus_days(48);
  campaign.description =
      "围绕学习宣传贯彻全会精神，职工宣讲团走进企业车间、快递驿站、田间牧场，"
      "讲政策、讲身边的劳模工匠故事，把党的声音传递到广大职工身边。";
  campaign.targets.push_back({"", "", 300, 45000});
  for (const auto& code : w.league_codes) campaign.targets.push_back({code, "", 20, 3000});
  for (const char* group : {"frontline_workers", "new_forms", "farmers_herders", "miners"}) {
    campaign.targets.push_back({"", group, 30, 0});
  }
  Id campaign_id = 0;
  {
    store::Tx tx = store.write();
    TxReferences refs(tx);
    must_be_valid(campaign, refs);
    campaign_id = tx.insert_campaign(campaign);
    constexpr int kDaysBehind = 42;
    for (int i = 0; i < sessions; ++i) {
      domain::Session s;
      s.campaign_id = campaign_id;
      const std::size_t li = rng.index(w.lecturers.size());
      const auto& league = w.lecturer_league[li];
      std::vector<const OrgRef*> candidates;
      for (const auto& h : w.hosts) {
        if (league.empty() || h.league == league) candidates.push_back(&h);
      }
      const OrgRef& host = *candidates[rng.index(candidates.size())];
      s.lecturer_ids = {w.lecturers[li]};
      // Behind today, more of them lately, as a campaign gathers pace; two this morning.
      const bool this_morning = i < 2;
      const int back =
          this_morning ? 0 : 1 + static_cast<int>(kDaysBehind * (1.0 - std::sqrt(rng.unit())));
      s.date = today.plus_days(-std::min(back, kDaysBehind));
      s.start_time = TimeOfDay::parse(this_morning ? "09:00" : kStartTimes[rng.index(4)]);
      s.end_time = TimeOfDay::from_minutes(s.start_time->minutes() + 90);
      s.title = kTitles[rng.index(std::size(kTitles))];
      s.host_organisation_id = host.id;
      s.region_code = host.region;
      s.audience_group = host.industry.empty()
                             ? kFederationAudiences[rng.index(std::size(kFederationAudiences))]
                             : host.audience;
      s.industry = host.industry.empty() ? industry_of_audience(s.audience_group) : host.industry;
      const std::string host_name = tx.organisation(host.id)->name;
      if (rng.unit() < 0.8) {
        s.format = domain::SessionFormat::kOffline;
        s.audience_offline = rng.between(30, 240);
        s.venue = host_name + host.venue;
      } else {
        s.format = domain::SessionFormat::kOnline;
        s.online_viewers = rng.between(300, 4000);
        s.venue = "线上直播间（" + host_name + "）";
      }
      s.summary = "宣讲员用职工身边的故事解读" + s.title + "，现场互动热烈。";
      s.source = domain::SessionSource::kUnordered;
      must_be_valid(s, refs);
      tx.insert_session(s, std::nullopt);
    }
    tx.commit();
  }

  // Orders around today, through the workflow as seed_orders does.
  Principal admin;
  Principal organiser;
  Principal lecturer;
  Principal requester;
  {
    store::Tx tx = store.read();
    admin = *tx.principal(tx.credentials("admin")->account.id);
    organiser = *tx.principal(tx.credentials("organiser")->account.id);
    lecturer = *tx.principal(tx.credentials("lecturer")->account.id);
    requester = *tx.principal(tx.credentials("requester")->account.id);
  }
  // An order of a day already past was placed before it came.
  Date placed_on = today;
  WorkflowOptions placing;
  placing.today = [&placed_on] { return placed_on; };
  Workflow workflow(store, placing);
  enum class Goal { kSubmitted, kDispatched, kAccepted, kDelivered, kRated, kCancelled };
  struct Plan {
    Goal goal;
    int day;             // the lecture's day from today (the window starts there)
    bool demo_lecturer;  // dispatched to the demo lecturer, whose agenda shows it
    int waited_days;     // how long ago it was entered (and dispatched): reminders fall due
  };
  const auto plans = std::to_array<Plan>({
      {Goal::kAccepted, 0, true, 6},     {Goal::kAccepted, 0, false, 6},
      {Goal::kDispatched, 1, true, 3},   {Goal::kDispatched, 4, false, 4},
      {Goal::kDispatched, 9, false, 0},  {Goal::kDispatched, 6, true, 0},
      {Goal::kAccepted, 3, true, 5},     {Goal::kAccepted, 7, false, 2},
      {Goal::kAccepted, 12, false, 1},   {Goal::kSubmitted, 5, false, 5},
      {Goal::kSubmitted, 8, false, 4},   {Goal::kSubmitted, 10, false, 1},
      {Goal::kSubmitted, 14, false, 0},  {Goal::kSubmitted, 18, false, 0},
      {Goal::kSubmitted, 21, false, 0},  {Goal::kSubmitted, 25, false, 0},
      {Goal::kSubmitted, 30, false, 0},  {Goal::kDelivered, -2, true, 9},
      {Goal::kDelivered, -5, false, 12}, {Goal::kDelivered, -8, false, 14},
      {Goal::kRated, -12, true, 18},     {Goal::kRated, -16, false, 20},
      {Goal::kRated, -20, false, 25},    {Goal::kRated, -27, false, 30},
      {Goal::kCancelled, 11, false, 3},  {Goal::kCancelled, -3, false, 10},
  });
  static constexpr auto kComments = std::to_array<const char*>(
      {"讲得接地气，职工爱听", "劳模讲自己的故事，特别打动人", "希望下次安排到夜班职工"});
  const UnixSeconds now = now_utc();
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const Plan& plan = plans[i];
    const bool own = i % 5 == 0;
    const OrgRef& u =
        own ? *std::find_if(w.grassroots.begin(), w.grassroots.end(),
                            [&](const OrgRef& r) { return r.id == requester.organisation_id; })
            : w.grassroots[(i * 5 + 3) % w.grassroots.size()];
    domain::Order o;
    o.organisation_id = u.id;
    o.campaign_id = campaign_id;
    o.window_from = std::max(today.plus_days(plan.day), campaign.start_date);
    o.window_to = std::min(o.window_from.plus_days(5), campaign.end_date);
    placed_on = std::min(today, o.window_from);
    o.region_code = u.region;
    o.address = u.venue;
    o.audience_group = u.audience;
    o.expected_audience = rng.between(40, 240);
    o.preferred_format =
        i % 7 == 3 ? domain::SessionFormat::kOnline : domain::SessionFormat::kOffline;
    o.topic = kTopics[1 + i % 9];
    o.priority = 1 + static_cast<int>(i % 5);
    o.contact_name = i % 2 == 0 ? "赵敏" : "孙立军";
    o.contact_phone = "0472-" + std::to_string(5100000 + rng.between(0, 899999));
    o.note = i % 3 == 0 ? "希望安排劳模、工匠结合亲身经历宣讲" : "";
    const Principal& orderer = own ? requester : organiser;
    auto created = workflow.create_order(orderer, o);
    if (!created) throw std::logic_error("demo order invalid: " + created.error().message.en);
    domain::Order order = *created;
    const UnixSeconds entered = now - std::int64_t{plan.waited_days} * 86400;
    if (plan.goal == Goal::kSubmitted) {
      store::Tx tx = store.write();
      tx.backdate_order(order.id, entered, std::nullopt);
      tx.commit();
      continue;
    }
    if (plan.goal == Goal::kCancelled && plan.day > 0) {
      (void)workflow.cancel(orderer, order.id, order.version, "单位生产任务调整，改期再报");
      continue;
    }
    bool dispatched = false;
    for (int attempt = 0; attempt < 16 && !dispatched; ++attempt) {
      service::DispatchRequest d;
      d.version = order.version;
      d.lecturer_id = plan.demo_lecturer && attempt < 4 ? *lecturer.lecturer_id
                                                        : w.corps[rng.index(w.corps.size())];
      d.date = order.window_from.plus_days(plan.day == 0 || plan.demo_lecturer ? 0 : attempt % 3);
      d.start_time = TimeOfDay::parse(attempt % 2 == 0 ? "14:30" : "09:30");
      d.end_time = TimeOfDay::from_minutes(d.start_time->minutes() + 90);
      if (auto r = workflow.dispatch(organiser, order.id, d)) {
        order = *r;
        dispatched = true;
      }
    }
    if (!dispatched) continue;
    {
      store::Tx tx = store.write();
      tx.backdate_order(order.id, entered, entered + 3600);
      tx.commit();
    }
    if (plan.goal == Goal::kDispatched) continue;
    const Principal& acting = order.lecturer_id == lecturer.lecturer_id ? lecturer : organiser;
    order = *workflow.accept(acting, order.id, order.version);
    if (plan.goal == Goal::kAccepted) continue;
    if (plan.goal == Goal::kCancelled) {
      (void)workflow.cancel(organiser, order.id, order.version, "宣讲员临时外出，活动延期");
      continue;
    }
    domain::Session s;
    s.title = kTitles[i % std::size(kTitles)];
    s.format = order.preferred_format;
    s.audience_offline = s.format == domain::SessionFormat::kOnline ? 0 : rng.between(40, 220);
    s.online_viewers = s.format == domain::SessionFormat::kOnline ? rng.between(300, 2500) : 0;
    s.industry = u.industry;
    s.summary = "应" + order.organisation_name + "点单，宣讲员结合亲身经历解读" + s.title + "。";
    auto delivered = workflow.deliver(acting, order.id, order.version, s);
    if (!delivered) {
      throw std::logic_error("demo delivery invalid: " + delivered.error().message.en);
    }
    order = *delivered;
    if (plan.goal == Goal::kDelivered) continue;
    service::RateRequest rate;
    rate.version = order.version;
    rate.rating = 4 + static_cast<int>(rng.between(0, 1));
    rate.comment = kComments[i % std::size(kComments)];
    if (auto rated = workflow.rate(own ? requester : admin, order.id, rate); !rated) {
      throw std::logic_error("demo rating refused: " + rated.error().message.en);
    }
  }
}

}  // namespace

Result<std::map<std::string, std::string>> seed_demo(store::Store& store, int sessions,
                                                     const std::filesystem::path& photos,
                                                     std::optional<Date> on) {
  DemoOptions options;
  options.sessions = sessions;
  options.photos = photos;
  options.today = on;
  return seed_demo(store, options);
}

Result<std::map<std::string, std::string>> seed_demo(store::Store& store,
                                                     const DemoOptions& options) {
  const int sessions = options.sessions;
  const auto& photos = options.photos;
  const bool bulk = options.loading == DemoLoading::kBulk ||
                    (options.loading == DemoLoading::kAuto && sessions >= kBulkDemoSessions);
  const Date today = options.today.value_or(shanghai_date(now_utc()));
  Rng rng(20221101);
  std::map<std::string, std::string> passwords;
  for (const char* user :
       {"organiser", "baotou", "lecturer", "requester", "viewer", "merchant", "pharmacy"}) {
    passwords[user] = random_token().substr(0, 16);
  }
  // Argon2 takes a second for the seven accounts: hashed on a second thread while this one
  // writes the sessions (one core's work on SQLite), and taken where the accounts are written.
  auto hashing = std::async(std::launch::async, [passwords] {
    std::map<std::string, std::string> hashes;
    for (const auto& [user, pw] : passwords) hashes[user] = hash_password(pw);
    return hashes;
  });

  store::Tx tx = store.write();
  TxReferences refs(tx);
  if (tx.count("lecturers") > 0) {
    return Error::conflict({"演示数据已经存在", "the demo data is already there"});
  }
  store::OrganisationFilter root_filter;
  root_filter.level = OrganisationLevel::kProvince;
  auto roots = tx.organisations(root_filter);
  if (roots.items.empty()) {
    return Error::conflict({"请先初始化数据库", "initialise the database first"});
  }
  const auto root = roots.items.front();

  // League federations and one banner/county federation under each.
  std::map<std::string, OrgRef> leagues;
  std::map<std::string, std::vector<std::string>> counties_of;
  std::map<std::string, OrgRef> county_federations;  // by league code
  std::vector<OrgRef> hosts;                         // every organisation that may host a lecture
  for (const auto& city : tx.regions("150000", "city")) {
    domain::Organisation org;
    org.name = city.name + "总工会";
    org.parent_id = root.id;
    org.level = OrganisationLevel::kLeague;
    org.region_code = city.code;
    org.lat = city.lat;
    org.lon = city.lon;
    org.address = city.name + "人民政府所在地";
    must_be_valid(org, refs);
    const Id id = tx.insert_organisation(org);
    leagues[city.code] = {
        id, tx.organisation(id)->path, city.code, "", "officials", "总工会报告厅", city.code};
    for (const auto& county : tx.regions(city.code, "county")) {
      if (county.kind == "division") counties_of[city.code].push_back(county.code);
    }
    const auto& counties = counties_of[city.code];
    if (!counties.empty()) {
      const auto county = tx.region(counties.front());
      domain::Organisation cf;
      cf.name = county->name + "总工会";
      cf.parent_id = id;
      cf.level = OrganisationLevel::kCounty;
      cf.region_code = county->code;
      must_be_valid(cf, refs);
      const Id cid = tx.insert_organisation(cf);
      county_federations[city.code] = {
          cid,      tx.organisation(cid)->path, county->code, "", "officials", "职工活动中心",
          city.code};
      hosts.push_back(county_federations[city.code]);
    }
  }

  // Grassroots unions: under the county federation for every other one, else the league.
  std::vector<OrgRef> grassroots;
  std::size_t n = 0;
  for (const auto& u : kUnions) {
    domain::Organisation org;
    org.name = u.name;
    org.level = OrganisationLevel::kGrassroots;
    org.industry = u.industry;
    const std::string league = u.league;
    if (league.empty()) {
      org.parent_id = root.id;
      org.region_code = "150105";  // 赛罕区, Hohhot
    } else {
      const auto& counties = counties_of[league];
      const bool under_county = (n % 2 == 0) && county_federations.count(league) > 0;
      org.parent_id = under_county ? county_federations[league].id : leagues[league].id;
      org.region_code = counties.empty() ? league : counties[(n / 2) % counties.size()];
      if (under_county) org.region_code = counties.front();
    }
    must_be_valid(org, refs);
    const Id id = tx.insert_organisation(org);
    grassroots.push_back(
        {id, tx.organisation(id)->path, org.region_code, u.industry, u.audience, u.venue, league});
    ++n;
  }
  for (const auto& [code, ref] : leagues) hosts.push_back(ref);
  hosts.insert(hosts.end(), grassroots.begin(), grassroots.end());

  // The corps: 36 lecturers of the autonomous region's corps, two in each league's own corps.
  std::vector<domain::Lecturer> lecturers;
  std::vector<std::string> lecturer_league;  // "" = province corps
  std::size_t index = 0;
  std::vector<std::string> league_codes;
  league_codes.reserve(leagues.size());
  for (const auto& [code, ref] : leagues) league_codes.push_back(code);
  for (const auto& cat : kCategories) {
    for (int k = 0; k < cat.count; ++k, ++index) {
      domain::Lecturer l;
      const bool mongolian = index % 5 == 2;
      const std::size_t mongolian_name = (index / 5) % kMongolianNames.size();
      // Shifted every 40 so that no (surname, given name) pair repeats among the 60.
      const std::size_t given_name = (index * 11 + 3 + 2 * (index / 40)) % kGivenNames.size();
      l.name = mongolian ? std::string(kMongolianNames[mongolian_name])
                         : std::string(kSurnames[(index * 7) % kSurnames.size()]) +
                               kGivenNames[given_name];
      const bool female = mongolian ? kMongolianNameIsFemale[mongolian_name] : given_name % 2 == 1;
      l.gender = female ? "female" : "male";
      l.ethnicity = mongolian ? "蒙古族" : (index % 11 == 4 ? "满族" : "汉族");
      l.category = cat.code;
      l.honours = {cat.honours[static_cast<std::size_t>(k) % 2]};
      if (k % 4 == 0) l.honours.emplace_back("自治区宣讲团成员");
      const std::string league = index >= 36 ? league_codes[(index - 36) / 2] : "";
      const auto& employer_union = grassroots[(index * 13) % grassroots.size()];
      if (std::string_view(cat.code) == "scholar") {
        l.employer = kUniversities[index % 4];
        l.region_code = "150102";
      } else if (std::string_view(cat.code) == "union_official") {
        l.employer = league.empty() ? root.name : tx.organisation(leagues[league].id)->name;
        l.region_code = league.empty() ? "150100" : league;
      } else {
        auto name = tx.organisation(employer_union.id)->name;
        if (name.ends_with("工会")) name.resize(name.size() - std::string("工会").size());
        l.employer = name;
        l.region_code = employer_union.region;
      }
      l.organisation_id = league.empty() ? root.id : leagues[league].id;
      l.topics = {"twentieth_congress", kTopics[1 + index % 9]};
      if (index % 3 == 0) l.topics.emplace_back(kTopics[1 + (index + 4) % 9]);
      if (l.topics[2 % l.topics.size()] == l.topics[1]) l.topics.resize(2);
      l.languages =
          mongolian ? std::vector<std::string>{"mn", "zh"} : std::vector<std::string>{"zh"};
      l.phone = "13" + std::to_string(100000000 + rng.between(0, 899999999));
      l.bio = l.employer + "，" + cat.honours[static_cast<std::size_t>(k) % 2] +
              "。长期扎根基层，宣讲内容贴近职工、通俗易懂。";
      if (index % 7 == 0) {
        const Date from = Date::from_ymd(2022, 12, 1).plus_days(static_cast<int>(index % 20));
        l.unavailable.push_back({from, from.plus_days(4), "外出学习"});
      }
      if (index % 9 == 4) {  // in the current campaign too: the candidates say who is away
        const Date from = today.plus_days(3 + static_cast<int>(index % 12));
        l.unavailable.push_back(
            {from, from.plus_days(2), index % 2 == 0 ? "参加劳模疗休养" : "外出培训"});
      }
      must_be_valid(l, refs);
      l.id = tx.insert_lecturer(l);
      lecturers.push_back(l);
      lecturer_league.push_back(league);
    }
  }

  // The campaign, with its targets per league and per audience group.
  domain::Campaign campaign;
  campaign.title = "学习宣传贯彻党的二十大精神";
  campaign.owner_organisation_id = root.id;
  campaign.start_date = Date::from_ymd(2022, 11, 1);
  campaign.end_date = Date::from_ymd(2023, 1, 31);
  campaign.description =
      "自治区总工会职工宣讲团深入厂矿企业、田间地头、快递驿站，面向一线职工、新就业形态劳动者、"
      "农牧民等群体开展党的二十大精神宣讲。";
  campaign.targets.push_back({"", "", 400, 60000});
  for (const auto& code : league_codes) campaign.targets.push_back({code, "", 30, 4000});
  for (const char* group : {"frontline_workers", "new_forms", "farmers_herders", "medical_staff",
                            "officials", "miners"}) {
    campaign.targets.push_back({"", group, 20, 0});
  }
  must_be_valid(campaign, refs);
  const Id campaign_id = tx.insert_campaign(campaign);

  // About 400 sessions over the campaign's 92 days.
  std::map<Id, std::string> host_names;
  for (const auto& h : hosts) host_names[h.id] = tx.organisation(h.id)->name;
  const CachedReferences cached_refs(refs);
  SessionSink sink(tx, bulk, options, sessions);
  // League lecturers lecture in their own league; the region's corps goes everywhere. Gathered
  // once per league, not once per session (hundreds of hosts, a million sessions).
  std::map<std::string, std::vector<const OrgRef*>> hosts_for_league;
  for (const auto& league : lecturer_league) {
    auto& candidates = hosts_for_league[league];
    if (!candidates.empty()) continue;
    for (const auto& h : hosts) {
      if (league.empty() || h.league == league) candidates.push_back(&h);
    }
  }
  for (int i = 0; i < sessions; ++i) {
    domain::Session s;
    s.campaign_id = campaign_id;
    const std::size_t li = i < 60 ? static_cast<std::size_t>(i) : rng.index(lecturers.size());
    const auto& candidates = hosts_for_league.at(lecturer_league[li]);
    const OrgRef& host = *candidates[rng.index(candidates.size())];
    s.lecturer_ids = {lecturers[li].id};
    if (rng.unit() < 0.1) {
      const std::size_t other = rng.index(lecturers.size());
      if (other != li && lecturer_league[other].empty())
        s.lecturer_ids.push_back(lecturers[other].id);
    }
    s.date = campaign.start_date.plus_days(static_cast<int>(rng.between(0, 91)));
    s.start_time = TimeOfDay::parse(kStartTimes[rng.index(std::size(kStartTimes))]);
    s.end_time = TimeOfDay::from_minutes(s.start_time->minutes() + 90);
    s.title = kTitles[rng.index(std::size(kTitles))];
    s.host_organisation_id = host.id;
    s.region_code = host.region;
    s.audience_group = host.industry.empty()  // a federation gathers various groups
                           ? kFederationAudiences[rng.index(std::size(kFederationAudiences))]
                           : host.audience;
    s.industry = host.industry.empty() ? industry_of_audience(s.audience_group) : host.industry;
    s.venue = host_names[host.id] + host.venue;
    const double f = rng.unit();
    if (f < 0.70) {
      s.format = domain::SessionFormat::kOffline;
      s.audience_offline = rng.between(30, 260);
    } else if (f < 0.88) {
      s.format = domain::SessionFormat::kOnline;
      s.audience_offline = rng.between(0, 20);
      s.online_viewers = rng.between(300, 6000);
      s.venue = "线上直播间（" + host_names[host.id] + "）";
    } else {
      s.format = domain::SessionFormat::kHybrid;
      s.audience_offline = rng.between(60, 220);
      s.online_viewers = rng.between(0, 1500);
      const int branches = static_cast<int>(rng.between(2, 4));
      for (int b = 0; b < branches; ++b) {
        const OrgRef& bh = *candidates[rng.index(candidates.size())];
        s.branches.push_back({0, bh.id, host_names[bh.id] + "视频分会场", bh.region, bh.audience,
                              rng.between(20, 150)});
      }
    }
    s.summary = "宣讲员结合亲身经历，用职工身边的故事解读" + s.title + "，现场互动热烈。";
    s.source = i % 10 == 9 ? domain::SessionSource::kImported : domain::SessionSource::kUnordered;
    must_be_valid(s, cached_refs);
    sink.add(std::move(s));
  }
  sink.finish();

  // One account per role.
  const Id baotou = leagues["150200"].id;
  const Id requester_org = grassroots[4].id;  // 包头稀土新材料公司工会
  struct AccountSpec {
    const char* username;
    const char* display;
    domain::Role role;
    Id org;
    std::optional<Id> lecturer;
  };
  const auto accounts = std::to_array<AccountSpec>({
      {"organiser", "自治区总工会宣教部", domain::Role::kOrganiser, root.id, std::nullopt},
      {"baotou", "包头市总工会宣教部", domain::Role::kOrganiser, baotou, std::nullopt},
      {"lecturer", lecturers[0].name.c_str(), domain::Role::kLecturer, root.id, lecturers[0].id},
      {"requester", "包头稀土新材料公司工会联络员", domain::Role::kRequester, requester_org,
       std::nullopt},
      {"viewer", "自治区总工会领导", domain::Role::kViewer, root.id, std::nullopt},
      // The tills of the voucher pilot's two merchants in Hohhot (seed_demo_care ties them).
      {"merchant", "青城惠民超市收银台", domain::Role::kMerchant, leagues["150100"].id,
       std::nullopt},
      {"pharmacy", "草原仁和大药房收银台", domain::Role::kMerchant, leagues["150100"].id,
       std::nullopt},
  });
  const auto hashes = hashing.get();
  for (const auto& spec : accounts) {
    domain::Account a;
    a.username = spec.username;
    a.display_name = spec.display;
    a.role = spec.role;
    a.organisation_id = spec.org;
    a.lecturer_id = spec.lecturer;
    if (auto errors = domain::validate(a); !errors.empty()) {
      throw std::logic_error("demo account invalid: " + errors.front().field);
    }
    auto id = tx.insert_account(a, hashes.at(spec.username));
    if (!id) return std::move(id).error();
  }
  tx.append_audit({0, now_utc(), std::nullopt, "cli", "seed_demo", "campaign", campaign_id, "cli",
                   campaign.title, root.path});
  // The indexes dropped for the load are built, and the kept sums added, at commit.
  if (options.progress) options.progress("sessions: indexes, kept sums, commit", 0, 0);
  tx.commit();
  if (options.progress) options.progress("orders and the current campaign", 0, 0);
  std::vector<Id> corps;  // the autonomous region's own corps dispatches across the province
  for (std::size_t i = 0; i < lecturers.size(); ++i) {
    if (lecturer_league[i].empty()) corps.push_back(lecturers[i].id);
  }
  seed_orders(store, campaign_id, grassroots, corps, rng);
  DemoWorld world{root.id, league_codes, hosts, grassroots, {}, lecturer_league, corps};
  for (const auto& l : lecturers) world.lecturers.push_back(l.id);
  seed_current_campaign(store, world, today, std::min(sessions * 3 / 5, 240));
  seed_feedback(store, rng, bulk, options);
  if (!photos.empty()) {
    if (options.progress) options.progress("photos", 0, 0);
    seed_photos(store, photos);
  }
  return passwords;
}

}  // namespace xj::service
