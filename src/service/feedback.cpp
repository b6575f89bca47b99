#include "service/feedback.hpp"

#include "domain/validation.hpp"
#include "service/auth.hpp"
#include "service/rules.hpp"

namespace xj::service {

using namespace detail;  // NOLINT(google-build-using-namespace): the service's own rules

namespace {
// Tokens are 64 hex digits; anything else is not worth a database lookup.
bool plausible(const std::string& token) {
  if (token.size() != 64) return false;
  for (const char c : token) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Error too_many_from_here() {
  return Error{ErrorCode::kTooManyRequests,
               {"提交过于频繁，请稍后再试", "too many answers from here: try again later"},
               {},
               {}};
}

Error no_such_link() {
  return Error::not_found(
      {"评价链接无效，请重新扫码", "no such feedback link: scan the code again"});
}
}  // namespace

Result<domain::Session> Feedback::editable_session(store::Tx& tx, const Principal& who,
                                                   Id session_id) {
  if (auto s = require(who, Permission::kSessionsWrite); !s) return std::move(s).error();
  auto s = tx.session(session_id);
  if (!s || !session_visible(who, *s)) return Error::not_found();
  return *s;
}

std::vector<FieldError> Feedback::answer_errors(store::Tx& tx, FeedbackAnswer& a) {
  auto errors = domain::validate_text(a.comment, "comment", {"留言", "comment"}, 500, false);
  if (a.rating < 1 || a.rating > 5) add(errors, "rating", "请评 1–5 分", "rate from 1 to 5");
  if (!a.audience_group.empty() &&
      !tx.dictionary_has(domain::DictionaryKind::kAudienceGroup, a.audience_group)) {
    add(errors, "audience_group", "受众群体不在字典中", "unknown audience group");
  }
  return errors;
}

Result<std::string> Feedback::link_token(const Principal& who, Id session_id, bool renew) {
  store::Tx tx = store_.write();
  if (auto s = editable_session(tx, who, session_id); !s) return std::move(s).error();
  if (auto existing = tx.feedback_link(session_id); existing && !renew) return *existing;
  const std::string token = random_token();
  tx.set_feedback_link(session_id, token, now_utc());
  audit(tx, who, renew ? "renew_link" : "create_link", "feedback", session_id, "");
  tx.commit();
  return token;
}

Date Feedback::closes_on(const domain::Session& s,
                         const std::optional<store::FeedbackReopening>& reopening) const {
  const Date regular = s.date.plus_days(options_.open_days);
  return reopening && regular < reopening->open_until ? reopening->open_until : regular;
}

namespace {
Error closed_on(Date day) {
  return Error{ErrorCode::kGone,
               {"本场宣讲的评价已于 " + day.iso() + " 截止",
                "feedback on this lecture closed on " + day.iso()},
               {},
               {}};
}
bool may_reopen_forms(const Principal& who) {
  return who.role == domain::Role::kOrganiser || who.role == domain::Role::kAdmin;
}
}  // namespace

Result<domain::Session> Feedback::open_session(store::Tx& tx, const std::string& token,
                                               Date today) {
  if (!plausible(token)) return no_such_link();
  const auto session_id = tx.feedback_session(token);
  if (!session_id) return no_such_link();
  auto s = tx.session(*session_id);
  if (!s) return no_such_link();
  if (const Date last = closes_on(*s, tx.feedback_reopening(s->id)); today > last) {
    return closed_on(last);
  }
  return *s;
}

FeedbackLinkState Feedback::state_of(store::Tx& tx, const Principal& who, const domain::Session& s,
                                     Date today) const {
  FeedbackLinkState st;
  st.token = tx.feedback_link(s.id);
  st.reopening = tx.feedback_reopening(s.id);
  st.closes_on = closes_on(s, st.reopening);
  st.open = today <= st.closes_on;
  st.may_reopen = !st.open && !st.reopening && may_reopen_forms(who);
  return st;
}

Result<FeedbackLinkState> Feedback::link_state(const Principal& who, Id session_id, Date today) {
  store::Tx tx = store_.read();
  auto s = editable_session(tx, who, session_id);
  if (!s) return std::move(s).error();
  return state_of(tx, who, *s, today);
}

Result<FeedbackLinkState> Feedback::reopen(const Principal& who, Id session_id, std::string reason,
                                           UnixSeconds now) {
  store::Tx tx = store_.write();
  auto s = editable_session(tx, who, session_id);
  if (!s) return std::move(s).error();
  if (!may_reopen_forms(who)) {
    return Error::forbidden(
        {"只有组织者可以重新开放评价", "only an organiser may reopen feedback"});
  }
  auto errors = domain::validate_text(reason, "reason", {"原因", "reason"}, 200, true);
  if (!errors.empty()) return invalid_or(std::move(errors));
  const Date today = shanghai_date(now);
  const FeedbackLinkState before = state_of(tx, who, *s, today);
  if (before.reopening) {
    return Error::conflict({"本场评价已于 " + shanghai_date(before.reopening->at).iso() +
                                " 重新开放过一次，不能再次开放",
                            "feedback on this lecture was reopened once already, on " +
                                shanghai_date(before.reopening->at).iso()});
  }
  if (before.open) {
    return Error::conflict({"评价仍在开放中，将于 " + before.closes_on.iso() + " 截止",
                            "feedback is still open, until " + before.closes_on.iso()});
  }
  store::FeedbackReopening r;
  r.session_id = s->id;
  r.at = now;
  r.account_id = who.account_id;
  r.reason = reason;
  r.open_until = today.plus_days(options_.reopen_days);
  if (!tx.insert_feedback_reopening(r)) {
    return Error::conflict({"本场评价已重新开放过一次", "feedback was reopened once already"});
  }
  audit(tx, who, "reopen", "feedback", s->id, reason);
  auto after = state_of(tx, who, *s, today);
  tx.commit();
  return after;
}

Result<PublicSession> Feedback::open(const std::string& token, Date today) {
  store::Tx tx = store_.read();
  auto s = open_session(tx, token, today);
  if (!s) return std::move(s).error();
  return PublicSession{s->title,
                       s->date,
                       s->start_time,
                       s->venue,
                       s->host_organisation_name,
                       s->lecturer_names,
                       s->date.plus_days(options_.open_days),
                       tx.dictionary(domain::DictionaryKind::kAudienceGroup, false)};
}

Result<void> Feedback::answer(const std::string& token, FeedbackAnswer a,
                              const std::string& browser, const std::string& address,
                              UnixSeconds now) {
  store::Tx tx = store_.write();
  auto s = open_session(tx, token, shanghai_date(now));
  if (!s) return std::move(s).error();
  if (auto errors = answer_errors(tx, a); !errors.empty()) return invalid_or(std::move(errors));
  if (tx.feedback_since(address, now - 3600) >= options_.answers_per_address) {
    return too_many_from_here();
  }
  store::FeedbackEntry f;
  f.session_id = s->id;
  f.at = now;
  f.rating = a.rating;
  f.comment = a.comment;
  f.audience_group = a.audience_group;
  f.channel = "qr";
  f.browser = browser;
  f.address = address;
  auto id = tx.insert_feedback(f);
  if (!id) return std::move(id).error();
  tx.commit();
  return {};
}

Result<void> Feedback::sign_in(const std::string& token, const std::string& browser,
                               const std::string& address, UnixSeconds now) {
  store::Tx tx = store_.write();
  auto s = open_session(tx, token, shanghai_date(now));
  if (!s) return std::move(s).error();
  // A client that drops the browser cookie is a new browser each time: the address bounds it,
  // as it bounds answers, so that a script cannot inflate the headcount the statistics use.
  if (tx.attendance_since(address, now - 3600) >= options_.answers_per_address) {
    return too_many_from_here();
  }
  if (auto done = tx.insert_attendance(s->id, browser, address, now); !done) return done;
  tx.commit();
  return {};
}

Result<Feedback::Report> Feedback::report(const Principal& who, Id session_id,
                                          store::PageRequest page, bool quotes_only) {
  if (auto s = require(who, Permission::kSessionsRead); !s) return std::move(s).error();
  store::Tx tx = store_.read();
  auto s = tx.session(session_id);
  if (!s || !session_visible(who, *s)) return Error::not_found();
  return Report{tx.feedback_summary(session_id), tx.feedback(session_id, clamp(page), quotes_only)};
}

Result<store::FeedbackEntry> Feedback::record(const Principal& who, Id session_id,
                                              FeedbackAnswer a) {
  store::Tx tx = store_.write();
  if (auto s = editable_session(tx, who, session_id); !s) return std::move(s).error();
  if (auto errors = answer_errors(tx, a); !errors.empty()) return invalid_or(std::move(errors));
  store::FeedbackEntry f;
  f.session_id = session_id;
  f.at = now_utc();
  f.rating = a.rating;
  f.comment = std::move(a.comment);
  f.audience_group = std::move(a.audience_group);
  f.channel = "staff";
  auto id = tx.insert_feedback(f);
  if (!id) return std::move(id).error();
  f.id = *id;
  audit(tx, who, "create", "feedback", f.id, "session " + std::to_string(session_id));
  tx.commit();
  return f;
}

Result<store::FeedbackEntry> Feedback::mark_quote(const Principal& who, Id session_id,
                                                  Id feedback_id, bool quote) {
  store::Tx tx = store_.write();
  if (auto s = editable_session(tx, who, session_id); !s) return std::move(s).error();
  auto f = tx.feedback_entry(feedback_id);
  if (!f || f->session_id != session_id) return Error::not_found();
  if (f->quote != quote) {
    tx.set_feedback_quote(feedback_id, quote);
    f->quote = quote;
    audit(tx, who, quote ? "quote" : "unquote", "feedback", feedback_id, "");
    tx.commit();
  }
  return *f;
}

}  // namespace xj::service
