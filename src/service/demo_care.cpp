#include "service/demo_care.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "service/care.hpp"
#include "service/rules.hpp"
#include "service/vouchers.hpp"

namespace xj::service {

namespace {

// Invented names only: a surname and a given name from these lists.
constexpr auto kSurnames = std::to_array<const char*>(
    {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡",
     "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "韩", "冯", "白", "乌", "包", "云"});
constexpr auto kGivenNames = std::to_array<const char*>(
    {"桂兰",   "建军",   "秀英",   "国华", "淑珍", "永生", "凤英", "振华", "玉兰", "长海",
     "金凤",   "志刚",   "春花",   "宝柱", "翠兰", "铁柱", "美荣", "福林", "巧云", "满仓",
     "其木格", "额尔敦", "萨日娜", "巴图", "红梅", "利民", "丽君", "德明", "海燕", "忠诚"});
constexpr auto kCategories = std::to_array<const char*>(
    {"hardship_worker", "hardship_worker", "hardship_model_worker", "frontline_worker",
     "new_forms_worker", "holiday_duty", "serious_illness", "hardship_worker"});
constexpr auto kAmountsYuan = std::to_array<std::int64_t>({500, 800, 1000, 1000, 1500, 2000});
constexpr auto kEmployers = std::to_array<const char*>(
    {"市政环卫处", "煤矿综采队", "快递服务站", "热电厂运行部", "公交公司", "社区卫生服务中心",
     "钢铁公司炼钢厂", "外卖配送站", "农牧业合作社", "建筑工地项目部"});
constexpr auto kNotes = std::to_array<const char*>(
    {"送去米面油和慰问金，了解家庭困难情况", "家属长期患病，已纳入重点帮扶",
     "春节坚守岗位，送上节日问候", "子女上学困难，协调金秋助学", ""});

template <typename T>
T must(Result<T> r, const char* what) {
  if (!r)
    throw std::logic_error(std::string("demo care refused (") + what +
                           "): " + r.error().message.en);
  return std::move(*r);
}

// A valid GB 11643 number: region, birth date, a sequence, the check character.
std::string resident_id(const std::string& region, Date birth, int sequence) {
  std::string first = region.substr(0, 6) + std::to_string(birth.year());
  first += (birth.month() < 10 ? "0" : "") + std::to_string(birth.month());
  first += (birth.day() < 10 ? "0" : "") + std::to_string(birth.day());
  const std::string seq = std::to_string(100 + sequence % 900);
  first += seq;
  return first + domain::resident_id_check_char(first);
}

domain::CareProgramme open(Care& care, const domain::Principal& admin, domain::CareProgramme p) {
  auto made = must(care.create_programme(admin, std::move(p)), "programme");
  return must(care.transition(admin, made.id, made.version, domain::ProgrammeAction::kOpen),
              "open");
}

domain::CareAllocation allocation(Id programme, Id from, Id to, std::int64_t fen,
                                  const char* note) {
  domain::CareAllocation a;
  a.programme_id = programme;
  a.from_organisation_id = from;
  a.to_organisation_id = to;
  a.amount_fen = fen;
  a.note = note;
  return a;
}

// The voucher pilot in Hohhot (issue 16 point 5): two merchants with the demo's till accounts
// `merchant` and `pharmacy`, one batch of 200 vouchers of 200 yuan under the two-festivals
// programme (40,000 yuan out of Hohhot's holding), 80 issued, 12 redeemed. Every step goes
// through service::Vouchers, so the ledger verifies. The codes are random (they must be
// unguessable); names, amounts and counts are the same on every run. No batch is expired: a
// batch cannot be made with its last day past, and the demo happens on the day it is made.
void seed_voucher_pilot(store::Store& store, const Vault& vault, const domain::Principal& admin,
                        const domain::CareProgramme& programme, Id hohhot, Date today) {
  Id supermarket_till = 0;
  Id pharmacy_till = 0;
  domain::Principal till;
  {
    store::Tx tx = store.read();
    const auto m = tx.credentials("merchant");
    const auto p = tx.credentials("pharmacy");
    if (!m || !p) throw std::logic_error("demo care: the demo's till accounts are missing");
    supermarket_till = m->account.id;
    pharmacy_till = p->account.id;
    till = *tx.principal(supermarket_till);
  }
  Vouchers vouchers(store, vault);
  domain::Merchant shop;
  shop.organisation_id = hohhot;
  shop.name = "青城惠民超市（新华大街店）";
  shop.credit_code = "91150102MA0Q3K7P2X";
  shop.contact = "王经理 0471-6612345";
  shop = must(vouchers.create_merchant(admin, shop), "supermarket");
  domain::Merchant pharmacy;
  pharmacy.organisation_id = hohhot;
  pharmacy.name = "草原仁和大药房（中山路店）";
  pharmacy.credit_code = "91150103MA0R8N4L6U";
  pharmacy.contact = "李店长 0471-6987654";
  pharmacy = must(vouchers.create_merchant(admin, pharmacy), "pharmacy");
  must(vouchers.link_account(admin, shop.id, supermarket_till), "supermarket till");
  must(vouchers.link_account(admin, pharmacy.id, pharmacy_till), "pharmacy till");

  domain::VoucherBatch b;
  b.programme_id = programme.id;
  b.organisation_id = hohhot;
  b.title = "两节送温暖电子消费券（呼和浩特试点）";
  b.face_value_fen = 20'000;
  b.count = 200;
  b.valid_from = today.plus_days(-14);
  b.valid_to = std::min(today.plus_days(45), programme.end_date);
  b.merchant_ids = {shop.id, pharmacy.id};
  const auto batch = must(vouchers.create_batch(admin, b), "voucher batch");

  std::vector<IssueTarget> targets;
  for (int i = 0; i < 80; ++i) {
    domain::PersonInput p;
    p.name = std::string(kSurnames[static_cast<std::size_t>(i * 11 + 3) % kSurnames.size()]) +
             kGivenNames[static_cast<std::size_t>(i * 7 + 5) % kGivenNames.size()];
    const Date birth = Date::from_ymd(1962 + i % 35, 1 + static_cast<unsigned>((i * 5) % 12),
                                      1 + static_cast<unsigned>((i * 3) % 28));
    p.id_number = resident_id("150102", birth, 500 + i);
    p.phone = "138" + std::to_string(47100000 + i * 53);
    p.employer = kEmployers[static_cast<std::size_t>(i + 3) % kEmployers.size()];
    p.category = i % 4 == 3 ? "new_forms_worker" : "hardship_worker";
    targets.push_back({std::nullopt, p});
  }
  const auto issued = must(vouchers.issue(admin, batch.id, std::move(targets)), "issue");
  // 12 redeemed: the first eight at the supermarket, four at the pharmacy.
  domain::Principal pharmacist;
  {
    store::Tx tx = store.read();
    pharmacist = *tx.principal(pharmacy_till);
  }
  for (std::size_t i = 0; i < 12 && i < issued.size(); ++i) {
    const auto& who = i < 8 ? till : pharmacist;
    must(vouchers.redeem(who, issued[i].code, "demo-pilot-" + std::to_string(i)), "redeem");
  }
}

}  // namespace

DemoCare seed_demo_care(store::Store& store, const Vault& vault, Date today) {
  domain::Principal admin;
  domain::Organisation root;
  std::vector<domain::Organisation> leagues;
  std::vector<std::optional<domain::Organisation>> counties;  // one per league, if any
  {
    store::Tx tx = store.read();
    admin = *tx.principal(tx.credentials("admin")->account.id);
    root = *tx.organisation(admin.organisation_id);
    store::OrganisationFilter f;
    f.parent_id = root.id;
    f.level = domain::OrganisationLevel::kLeague;
    f.page = {1, 200};
    leagues = tx.organisations(f).items;
    for (const auto& l : leagues) {
      store::OrganisationFilter c;
      c.parent_id = l.id;
      c.level = domain::OrganisationLevel::kCounty;
      c.page = {1, 1};
      auto found = tx.organisations(c).items;
      counties.push_back(found.empty() ? std::nullopt : std::optional(found.front()));
    }
  }
  Care care(store, vault);
  DemoCare made;
  const Date start = today.plus_days(-30);
  const Date end = today.plus_days(75);
  const std::string year = std::to_string(today.plus_days(60).year());

  // 元旦春节两节送温暖: 10,000,000 yuan; 8,000,000 to the leagues, 40% of it on to the county
  // federations; the province visits too.
  domain::CareProgramme warmth;
  warmth.title = year + "年元旦春节两节送温暖";
  warmth.owner_organisation_id = root.id;
  warmth.start_date = start;
  warmth.end_date = end;
  warmth.budget_fen = 1'000'000'000;
  warmth.categories = {"hardship_worker",  "hardship_model_worker", "frontline_worker",
                       "new_forms_worker", "holiday_duty",          "serious_illness"};
  warmth.kinds = {domain::AidKind::kCash, domain::AidKind::kGoods, domain::AidKind::kVoucher};
  warmth.description =
      "两节期间，各级工会走访慰问困难职工、困难劳模、一线职工、新就业形态劳动者和节日坚守岗位"
      "职工，把党和政府的关怀、工会组织的温暖送到职工心坎上。";
  const auto w = open(care, admin, warmth);
  made.warmth_programme_id = w.id;
  // Hohhot and Baotou get 1,000,000 yuan each, the other ten 600,000 (8,000,000 in all).
  std::vector<std::pair<Id, std::string>> payers = {{root.id, root.region_code}};
  std::vector<domain::CareAllocation> allocations;
  for (std::size_t i = 0; i < leagues.size(); ++i) {
    const auto& l = leagues[i];
    const bool big = l.region_code == "150100" || l.region_code == "150200";
    if (l.region_code == "150100") made.hohhot_id = l.id;
    const std::int64_t share = big ? 100'000'000 : 60'000'000;
    allocations.push_back(allocation(w.id, root.id, l.id, share, "两节送温暖资金拨付"));
    payers.emplace_back(l.id, l.region_code);
    if (counties[i]) {
      allocations.push_back(
          allocation(w.id, l.id, counties[i]->id, share * 2 / 5, "两节送温暖资金拨付"));
      payers.emplace_back(counties[i]->id, counties[i]->region_code);
    }
  }
  must(care.allocate_all(admin, std::move(allocations)), "allocations");
  // 300 visits: every payer in turn, over the days from the start to today.
  const int days = std::max(1, today.days() - start.days() + 1);
  // One transaction for all of them, so that `make demo` and every test's demo stay quick.
  std::vector<DisbursementRequest> visits;
  for (int i = 0; i < 300; ++i) {
    const auto& [org, region] = payers[static_cast<std::size_t>(i) % payers.size()];
    DisbursementRequest req;
    auto& d = req.disbursement;
    d.programme_id = w.id;
    d.organisation_id = org;
    d.beneficiary_kind = "person";
    d.amount_fen = kAmountsYuan[static_cast<std::size_t>(i * 7) % kAmountsYuan.size()] * 100;
    d.aid_kind = i % 3 == 1 ? domain::AidKind::kGoods : domain::AidKind::kCash;
    d.date = start.plus_days((i * 13) % days);
    d.officials = i % 2 == 0 ? "工会主席、女职工委员会主任" : "工会副主席、帮扶中心主任";
    d.note = kNotes[static_cast<std::size_t>(i) % kNotes.size()];
    domain::PersonInput p;
    p.name = std::string(kSurnames[static_cast<std::size_t>(i * 7) % kSurnames.size()]) +
             kGivenNames[static_cast<std::size_t>(i * 11 + i / 30) % kGivenNames.size()];
    const Date birth = Date::from_ymd(1958 + i % 40, 1 + static_cast<unsigned>(i % 12),
                                      1 + static_cast<unsigned>((i * 5) % 28));
    p.id_number = resident_id(region.size() == 6 ? region : "150100", birth, i);
    p.phone = "139" + std::to_string(47100000 + i * 37);
    p.employer = kEmployers[static_cast<std::size_t>(i) % kEmployers.size()];
    p.category = kCategories[static_cast<std::size_t>(i) % kCategories.size()];
    req.person = p;
    visits.push_back(std::move(req));
  }
  must(care.disburse_all(admin, std::move(visits)), "visits");
  seed_voucher_pilot(store, vault, admin, w, made.hohhot_id, today);

  // One round of subsidies to units: 7,640,000 yuan under one document number, passed to the
  // leagues and paid by each to one unit.
  domain::CareProgramme subsidy;
  subsidy.title = year + "年困难企业职工帮扶补助资金";
  subsidy.owner_organisation_id = root.id;
  subsidy.start_date = start;
  subsidy.end_date = end;
  subsidy.budget_fen = 764'000'000;
  subsidy.categories = {"hardship_worker"};
  subsidy.kinds = {domain::AidKind::kSubsidy};
  subsidy.description =
      "按内工发〔" + year + "〕12号文件，对生产经营困难企业的工会拨付帮扶补助资金。";
  const auto s = open(care, admin, subsidy);
  made.subsidy_programme_id = s.id;
  std::int64_t left = subsidy.budget_fen;
  std::vector<DisbursementRequest> subsidies;
  allocations.clear();
  for (std::size_t i = 0; i < leagues.size(); ++i) {
    const auto& l = leagues[i];
    // 7,640,000 yuan over twelve: 640,000 to each of the first eleven, 600,000 to the last.
    const std::int64_t fen = i + 1 == leagues.size() ? left : 64'000'000;
    left -= fen;
    allocations.push_back(allocation(s.id, root.id, l.id, fen, "帮扶补助资金拨付"));
    DisbursementRequest req;
    auto& d = req.disbursement;
    d.programme_id = s.id;
    d.organisation_id = l.id;
    d.beneficiary_kind = "unit";
    d.amount_fen = fen;
    d.aid_kind = domain::AidKind::kSubsidy;
    d.date = start.plus_days(static_cast<int>(i) % days);
    std::string city = l.name;
    if (city.ends_with("总工会")) city.resize(city.size() - std::string("总工会").size());
    d.unit_name = city + "困难企业职工帮扶站";
    d.document_no = "内工发〔" + year + "〕12号";
    d.bank_name = "中国工商银行" + city + "分行";
    d.bank_account = "0602" + std::to_string(210000000000000 + static_cast<std::int64_t>(i) * 7919);
    d.officials = "财务部";
    subsidies.push_back(std::move(req));
  }
  must(care.allocate_all(admin, std::move(allocations)), "subsidy allocations");
  must(care.disburse_all(admin, std::move(subsidies)), "subsidies");
  return made;
}

namespace {

// Payments written per transaction by the generator: large enough that a COPY's start-up is
// nothing beside it, small enough that a batch's rows and ciphertexts stay a few tens of MB.
constexpr std::int64_t kVolumeBatch = 20'000;
// Birth dates of generated people run over this many days from 1950-01-01, and their
// sequence numbers over 700–999 (the hand-made visits use 100–399, the voucher pilot 600–679):
// every generated person below kVolumePeople gets an ID number of their own.
constexpr std::int64_t kVolumeDays = 18'000;

// The generated person `n` (0, 1, …), registered in `region`.
domain::PersonInput volume_person(std::int64_t n, const std::string& region) {
  const auto u = static_cast<std::size_t>(n);
  domain::PersonInput p;
  p.name = std::string(kSurnames[(u * 7 + u / 30) % kSurnames.size()]) +
           kGivenNames[(u * 11 + u / 900) % kGivenNames.size()];
  const Date birth =
      Date::from_ymd(1950, 1, 1).plus_days(static_cast<std::int32_t>(n % kVolumeDays));
  const int sequence = static_cast<int>(700 + (n / kVolumeDays) % 300);
  // resident_id() writes 100 + its argument modulo 900: 600–899 gives 700–999.
  p.id_number = resident_id(region.size() == 6 ? region : "150100", birth, sequence - 100);
  p.phone = "13" + std::to_string(800'000'000 + n % 100'000'000);
  p.employer = kEmployers[u % kEmployers.size()];
  p.category = kCategories[(u * 3) % kCategories.size()];
  return p;
}

std::int64_t volume_amount_fen(std::int64_t i) {
  const auto u = static_cast<std::size_t>(i);
  return kAmountsYuan[(u * 7 + u / 6) % kAmountsYuan.size()] * 100;
}

struct VolumeProgramme {
  std::string title;
  Date start;
  Date end;
  Date last_payment;  // payments are dated from start to here
  std::int64_t payments = 0;
  std::int64_t first_person = 0;  // generated people are numbered across programmes
  bool close = false;
};

void seed_volume_programme(store::Store& store, const Vault& vault, const domain::Principal& admin,
                           const std::vector<domain::Organisation>& tree,
                           const VolumeProgramme& spec, const CareVolumeOptions& options) {
  // Payment i is paid by tree[i % n]; what each organisation pays, then what it must receive
  // (its own payments, a twentieth more, and all its children receive), children first.
  const std::size_t n = tree.size();
  std::vector<std::int64_t> pays(n, 0);
  for (std::int64_t i = 0; i < spec.payments; ++i) {
    pays[static_cast<std::size_t>(i) % n] += volume_amount_fen(i);
  }
  std::map<Id, std::size_t> index;
  for (std::size_t k = 0; k < n; ++k) index[tree[k].id] = k;
  std::vector<std::int64_t> needs(n, 0);
  for (std::size_t k = n; k-- > 0;) {  // the tree is in path order: children after parents
    needs[k] += pays[k] + pays[k] / 20;
    if (k > 0 && tree[k].parent_id) needs[index.at(*tree[k].parent_id)] += needs[k];
  }
  Care care(store, vault);
  domain::CareProgramme p;
  p.title = spec.title;
  p.owner_organisation_id = tree.front().id;
  p.start_date = spec.start;
  p.end_date = spec.end;
  p.budget_fen = std::max<std::int64_t>(needs.front(), 100);
  p.categories = {"hardship_worker",  "hardship_model_worker", "frontline_worker",
                  "new_forms_worker", "holiday_duty",          "serious_illness"};
  p.kinds = {domain::AidKind::kCash, domain::AidKind::kGoods};
  p.description = "日常走访慰问困难职工，按月发放生活救助和实物慰问（生成的基准数据）。";
  const auto programme = open(care, admin, p);
  std::vector<domain::CareAllocation> allocations;
  for (std::size_t k = 1; k < n; ++k) {
    if (needs[k] > 0 && tree[k].parent_id) {
      allocations.push_back(
          allocation(programme.id, *tree[k].parent_id, tree[k].id, needs[k], "常态化帮扶资金拨付"));
    }
  }
  must(care.allocate_all(admin, std::move(allocations)), "volume allocations");

  const int days = std::max(1, spec.last_payment.days() - spec.start.days() + 1);
  for (std::int64_t from = 0; from < spec.payments; from += kVolumeBatch) {
    const std::int64_t to = std::min(spec.payments, from + kVolumeBatch);
    std::vector<store::BulkCarePayment> batch;
    batch.reserve(static_cast<std::size_t>(to - from));
    for (std::int64_t i = from; i < to; ++i) {
      const auto& payer = tree[static_cast<std::size_t>(i) % n];
      const auto person = volume_person(spec.first_person + i, payer.region_code);
      store::BulkCarePayment payment;
      auto& d = payment.disbursement;
      d.programme_id = programme.id;
      d.organisation_id = payer.id;
      d.beneficiary_kind = "person";
      d.category = person.category;
      d.amount_fen = volume_amount_fen(i);
      d.aid_kind = i % 3 == 1 ? domain::AidKind::kGoods : domain::AidKind::kCash;
      d.date = spec.start.plus_days(static_cast<std::int32_t>((i * 13) % days));
      d.officials = i % 2 == 0 ? "工会主席、帮扶中心主任" : "工会副主席、女职工委员会主任";
      d.note = kNotes[static_cast<std::size_t>(i) % kNotes.size()];
      payment.new_person = seal_person(vault, person, payer.id);
      payment.movement_note = payee_words(person);
      batch.push_back(std::move(payment));
    }
    store::Tx tx = store.write();
    tx.bulk_insert_care_payments(batch, admin.account_id);
    detail::audit(tx, admin, "generate", "care_programme", programme.id,
                  p.title + "：批量生成走访慰问 " + std::to_string(to - from) + " 笔");
    tx.commit();
    if (options.progress) options.progress("disbursements", to, spec.payments);
  }
  if (spec.close) {
    const auto now = must(care.get_programme(admin, programme.id), "reload");
    must(care.transition(admin, now.id, now.version, domain::ProgrammeAction::kClose), "close");
  }
}

}  // namespace

void seed_care_volume(store::Store& store, const Vault& vault, Date today,
                      const CareVolumeOptions& options) {
  domain::Principal admin;
  std::vector<domain::Organisation> tree;
  {
    store::Tx tx = store.read();
    admin = *tx.principal(tx.credentials("admin")->account.id);
    store::OrganisationFilter f;
    f.scope_path = admin.organisation_path;
    f.page = {1, 500};
    for (std::int64_t page = 1;; ++page) {
      f.page.page = page;
      auto found = tx.organisations(f);
      for (auto& o : found.items) tree.push_back(std::move(o));
      if (found.items.empty() || page * f.page.page_size >= found.total) break;
    }
  }
  std::sort(tree.begin(), tree.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  if (tree.empty() || tree.front().id != admin.organisation_id) {
    throw std::logic_error("demo care: the tree does not start at the admin's organisation");
  }
  const int year = today.year();
  if (options.past_disbursements > 0) {
    VolumeProgramme past;
    past.title = std::to_string(year - 1) + "年困难职工常态化帮扶";
    past.start = today.plus_days(-730);
    past.end = today.plus_days(-366);
    past.last_payment = past.end;
    past.payments = options.past_disbursements;
    past.first_person = options.disbursements;
    past.close = true;
    seed_volume_programme(store, vault, admin, tree, past, options);
  }
  if (options.disbursements > 0) {
    VolumeProgramme now;
    now.title = std::to_string(year) + "年困难职工常态化帮扶";
    now.start = today.plus_days(-364);
    now.end = today.plus_days(30);
    now.last_payment = today;
    now.payments = options.disbursements;
    seed_volume_programme(store, vault, admin, tree, now, options);
  }
}

}  // namespace xj::service
