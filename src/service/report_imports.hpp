// 报道导入 (issue 18): a union news item, a brief or a PDF page in, reviewed sessions out.
//
// propose reads the text (or a .txt/.docx/.pdf file), runs the extractor against the names the
// importer may see (the regions, the lecturers and organisations of their subtree) and flags the
// proposals that repeat a stored session (same lecturer, day and venue). It writes nothing.
// accept stores what a person reviewed, in ONE transaction: the report's text (report_sources),
// new lecturers the proposals name, and each session through the same checks as the session
// routes (rules.hpp check_new_session, source `imported`), linked to the text. A proposal whose
// session is already stored is skipped, so accepting the same proposals twice creates nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "domain/access.hpp"
#include "domain/entities.hpp"
#include "extract/extract.hpp"
#include "store/store.hpp"

namespace xj::service {

// A news page is a few kilobytes: 1 MB of text is no report (and 10 MB is refused, 413).
inline constexpr std::size_t kMaxReportTextBytes = std::size_t{1} << 20;
// Proposals accepted at once.
inline constexpr std::size_t kMaxAcceptedProposals = 200;

// The text of an uploaded file: a PDF (poppler), a .docx, or text in UTF-8 or GB18030 (GBK).
// Refuses (bad_request, field "file") an empty file, bytes that are no text (NUL bytes, neither
// encoding), a damaged or encrypted PDF or .docx; payload_too_large beyond kMaxReportTextBytes.
Result<std::string> report_text_from_file(std::string_view bytes);

struct ReportProposal {
  extract::Proposal proposal;
  std::string audience_group_code;  // the dictionary's code for proposal.audience_group
  std::optional<Id> duplicate_of;   // a stored session with the same lecturer, day and venue
};

struct ReportPreview {
  std::string text;  // normalised: the sentence offsets point into it
  int year = 0;
  std::optional<Id> campaign_id;
  std::vector<ReportProposal> proposals;
  std::vector<extract::Statement> statements;
};

// One proposal as the reviewer left it.
struct AcceptedProposal {
  Date date;
  std::optional<Date> date_to;
  std::optional<Id> lecturer_id;  // absent: a new lecturer named lecturer_name is registered
  std::string lecturer_name;
  std::string lecturer_honours;  // 、-separated, for a new lecturer
  std::string lecturer_employer;
  std::string lecturer_category;  // dictionary code; "" = advanced_worker
  std::string venue;
  std::optional<Id> host_organisation_id;  // absent: the importer's own organisation
  std::string region_code;                 // "": the host's region
  std::string audience_group;              // dictionary code or name
  std::string format = "offline";
  std::string title;
  std::int64_t audience_count = 0;
  // format hybrid: the branch venues (host 0: the session's host; region "": the session's;
  // audience group "": the session's), checked by the session rules.
  std::vector<domain::BranchVenue> branches;
  std::int64_t sentence_begin = 0;
  std::int64_t sentence_end = 0;
};

struct AcceptRequest {
  std::string text;  // the text the proposals came from (stored as the source)
  std::string file_name;
  int year = 0;
  std::optional<Id> campaign_id;
  std::vector<AcceptedProposal> proposals;
};

struct AcceptResult {
  Id report_source_id = 0;
  std::vector<domain::Session> created;
  std::vector<std::pair<std::size_t, Id>> duplicates;  // proposal index → the stored session
  std::vector<domain::Lecturer> new_lecturers;
};

class ReportImports {
 public:
  // REQUIRES: rules parsed (extract::parse_rules, with the administrator's additions).
  ReportImports(store::Store& store, extract::Rules rules);
  ~ReportImports();
  ReportImports(const ReportImports&) = delete;
  ReportImports& operator=(const ReportImports&) = delete;

  // Needs the right to write sessions. `text` must be UTF-8 (bad_request otherwise), not empty,
  // at most kMaxReportTextBytes; `year` between 1990 and 2100; the campaign, when given, visible.
  Result<ReportPreview> propose(const domain::Principal& who, std::string_view text, int year,
                                std::optional<Id> campaign_id);

  // Stores the reviewed proposals (see the file comment). Every proposal's errors are reported
  // at once as "proposals[i].field"; a host outside the importer's subtree is refused as the
  // session routes refuse it; nothing is written unless everything passes.
  Result<AcceptResult> accept(const domain::Principal& who, AcceptRequest request);

  // The stored texts of the reader's subtree, newest first, without their text (sessions.read).
  Result<store::Page<store::ReportSource>> list_sources(const domain::Principal& who,
                                                        store::PageRequest page);
  // One stored text with the sessions accepted from it (those the reader may see); not_found
  // outside the reader's subtree.
  struct SourceDetail {
    store::ReportSource source;
    std::vector<store::ReportSourceSession> sessions;
  };
  Result<SourceDetail> get_source(const domain::Principal& who, Id id);
  // The report a session was imported from (the session must be visible): the link, the text's
  // sentence, and whether the reader may open the whole text. not_found when it was not imported
  // from a report.
  struct SessionSource {
    store::ReportSourceSession link;
    std::string sentence;
    bool text_visible = false;
  };
  Result<SessionSource> session_source(const domain::Principal& who, Id session_id);

 private:
  store::Store& store_;
  extract::Rules rules_;
};

}  // namespace xj::service
