// Feedback by QR code (扫码评价): each session has an unguessable public link, printed as a QR
// code; the audience opens it on a phone without logging in, rates the lecture 1–5, comments,
// picks its audience group, and signs in to give a headcount that can be checked. The form
// closes 14 days after the session; one answer and one sign-in per browser; a limit per address.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/access.hpp"
#include "domain/entities.hpp"
#include "service/records.hpp"
#include "store/store.hpp"

namespace xj::service {

struct FeedbackOptions {
  int open_days = 14;   // after the session's date
  int reopen_days = 7;  // from the day an organiser opens a closed form again
  // Answers, and sign-ins, per hour from one address (a whole workshop may share one).
  int answers_per_address = 30;
};

// What the public form shows: nothing beyond the lecture itself.
struct PublicSession {
  std::string title;
  Date date;
  std::optional<TimeOfDay> start_time;
  std::string venue;
  std::string host;
  std::vector<std::string> lecturers;
  Date closes;  // the last day answers are taken
  // The choices of the form's audience-group question (the form has no login to read the
  // dictionary itself).
  std::vector<domain::DictionaryEntry> audience_groups;
};

// The state of a session's feedback form, for the staff who show its QR code.
struct FeedbackLinkState {
  std::optional<std::string> token;  // none until someone first shows the link
  bool open = false;
  Date closes_on;  // the last day answers are taken (after a reopening, its end)
  std::optional<store::FeedbackReopening> reopening;
  bool may_reopen = false;  // closed, never reopened, and the caller is an organiser in scope
};

struct FeedbackAnswer {
  int rating = 0;
  std::string comment;
  std::string audience_group;
};

class Feedback {
 public:
  Feedback(store::Store& store, FeedbackOptions options) : store_(store), options_(options) {}

  // The session's link token (made on first use; `renew` replaces it). Whoever may edit the
  // session may show its link.
  Result<std::string> link_token(const Principal& who, Id session_id, bool renew);
  // Whether the form takes answers today and until when, without making a link.
  Result<FeedbackLinkState> link_state(const Principal& who, Id session_id, Date today);
  // Opens a closed form again for `reopen_days`, once per session, for a reason; organisers (and
  // admins) in scope only. Conflict while it is still open or when it was reopened before.
  Result<FeedbackLinkState> reopen(const Principal& who, Id session_id, std::string reason,
                                   UnixSeconds now);

  // The public side. Unknown token: not found; past the closing day: gone.
  Result<PublicSession> open(const std::string& token, Date today);
  Result<void> answer(const std::string& token, FeedbackAnswer answer, const std::string& browser,
                      const std::string& address, UnixSeconds now);
  Result<void> sign_in(const std::string& token, const std::string& browser,
                       const std::string& address, UnixSeconds now);

  // For staff: the answers and the summary (average, counts by rating, signed-in headcount).
  struct Report {
    store::FeedbackSummary summary;
    store::Page<store::FeedbackEntry> answers;
  };
  // `quotes_only` lists the answers marked as quotes (the summary counts every answer).
  Result<Report> report(const Principal& who, Id session_id, store::PageRequest page,
                        bool quotes_only = false);

  // Staff enter what the audience said on paper or aloud (channel "staff"); whoever may edit the
  // session may, at any time, with no per-browser limit. Audited.
  Result<store::FeedbackEntry> record(const Principal& who, Id session_id, FeedbackAnswer answer);
  // 精彩语录: marks (or unmarks) a comment as one worth quoting. Not found when the answer is
  // not of this session.
  Result<store::FeedbackEntry> mark_quote(const Principal& who, Id session_id, Id feedback_id,
                                          bool quote);

 private:
  Result<domain::Session> open_session(store::Tx& tx, const std::string& token, Date today);
  // The last day the session's form takes answers.
  Date closes_on(const domain::Session& s,
                 const std::optional<store::FeedbackReopening>& reopening) const;
  FeedbackLinkState state_of(store::Tx& tx, const Principal& who, const domain::Session& s,
                             Date today) const;
  // The session, when `who` may edit it; not found when they cannot see it.
  static Result<domain::Session> editable_session(store::Tx& tx, const Principal& who,
                                                  Id session_id);
  // Trims the answer's text in place.
  static std::vector<FieldError> answer_errors(store::Tx& tx, FeedbackAnswer& a);

  store::Store& store_;
  FeedbackOptions options_;
};

}  // namespace xj::service
