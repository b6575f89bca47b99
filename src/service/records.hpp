// The use cases on the corps' records: list, read, create, update, each bound to the caller's
// organisation scope. A record outside the scope answers not_found, as if it did not exist.
// Every write is one transaction that also appends to the audit log.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/access.hpp"
#include "domain/entities.hpp"
#include "store/store.hpp"

namespace xj::service {

using domain::Principal;
template <class T>
using Page = store::Page<T>;

// Applies a client's partial update to the stored record, inside the write transaction.
// Returns an error (bad request) when the update itself is malformed.
template <class T>
using Patch = std::function<Status(T&)>;

struct Health {
  std::string engine;
  int schema_version = 0;
  bool database_ok = false;
};

class Records {
 public:
  explicit Records(store::Store& store) : store_(store) {}

  Health health();

  // The store's data version (store::Tx::data_version): equal numbers, equal data. What the
  // server's page cache keys its bodies by.
  std::int64_t data_version();

  // The caller's own account and organisation (GET /auth/me).
  struct Profile {
    domain::Account account;
    domain::Organisation organisation;
  };
  Result<Profile> profile(const Principal& who);

  std::vector<domain::Region> regions(const std::string& parent, const std::string& level);

  Result<std::vector<domain::DictionaryEntry>> list_dictionary(
      const Principal& who, std::optional<domain::DictionaryKind> kind, bool include_inactive);
  Result<domain::DictionaryEntry> create_dictionary_entry(const Principal& who,
                                                          domain::DictionaryEntry entry);
  Result<domain::DictionaryEntry> update_dictionary_entry(
      const Principal& who, Id id, const Patch<domain::DictionaryEntry>& patch);

  Result<Page<domain::Organisation>> list_organisations(const Principal& who,
                                                        store::OrganisationFilter filter);
  Result<domain::Organisation> get_organisation(const Principal& who, Id id);
  Result<domain::Organisation> create_organisation(const Principal& who, domain::Organisation org);
  Result<domain::Organisation> update_organisation(const Principal& who, Id id,
                                                   const Patch<domain::Organisation>& patch);

  Result<Page<domain::Lecturer>> list_lecturers(const Principal& who, store::LecturerFilter filter);
  Result<domain::Lecturer> get_lecturer(const Principal& who, Id id);
  Result<domain::Lecturer> create_lecturer(const Principal& who, domain::Lecturer lecturer);
  Result<domain::Lecturer> update_lecturer(const Principal& who, Id id,
                                           const Patch<domain::Lecturer>& patch);

  Result<Page<domain::Campaign>> list_campaigns(const Principal& who, store::CampaignFilter filter);
  Result<domain::Campaign> get_campaign(const Principal& who, Id id);
  Result<domain::Campaign> create_campaign(const Principal& who, domain::Campaign campaign);
  // Only the owner's subtree edits (an ancestor's campaign: forbidden); a closed campaign is
  // reopened before it is edited (conflict on `state`); `version`, when given, must be the stored
  // one (conflict on `version` otherwise).
  Result<domain::Campaign> update_campaign(const Principal& who, Id id,
                                           std::optional<std::int64_t> version,
                                           const Patch<domain::Campaign>& patch);
  // 关闭 / 重新开启: whoever may edit the campaign; `version` must be the stored one. Closing a
  // closed campaign or reopening an open one is a conflict on `state`.
  Result<domain::Campaign> close_campaign(const Principal& who, Id id, std::int64_t version);
  Result<domain::Campaign> reopen_campaign(const Principal& who, Id id, std::int64_t version);

  // `organisation_id` in the filter narrows to that organisation's subtree (it must be in scope).
  Result<Page<domain::Session>> list_sessions(const Principal& who, store::SessionFilter filter,
                                              std::optional<Id> organisation_id);
  // Every session list_sessions shows for the same filter, over all its pages and in its order,
  // handed to `each` a batch at a time inside one read transaction (one snapshot). The filter's
  // page is ignored. An error from `each` stops the walk and is returned.
  Status each_session(const Principal& who, store::SessionFilter filter,
                      std::optional<Id> organisation_id,
                      const std::function<Status(const std::vector<domain::Session>&)>& each);
  Result<domain::Session> get_session(const Principal& who, Id id);
  Result<domain::Session> create_session(const Principal& who, domain::Session session);
  // A tour day: several sessions created in one transaction, all or none.
  Result<std::vector<domain::Session>> create_sessions(const Principal& who,
                                                       std::vector<domain::Session> sessions);
  // A correction: `version` is the one the caller read (409 if the session changed since). The
  // audit row names each changed field with its value before and after.
  Result<domain::Session> update_session(const Principal& who, Id id, std::int64_t version,
                                         const Patch<domain::Session>& patch);

  Result<Page<domain::Account>> list_accounts(const Principal& who, store::AccountFilter filter);
  Result<domain::Account> get_account(const Principal& who, Id id);
  Result<domain::Account> create_account(const Principal& who, domain::Account account,
                                         const std::string& password);
  Result<domain::Account> update_account(const Principal& who, Id id,
                                         const Patch<domain::Account>& patch);
  // Sets a password; signs the account out everywhere and ends its API tokens. `who` empty = the
  // command line.
  Result<void> set_password(const std::optional<Principal>& who, const std::string& username,
                            const std::string& password);

  Result<Page<domain::AuditEntry>> list_audit(const Principal& who, store::AuditFilter filter);

 private:
  // The caller's scope and the organisation asked for, written into a session filter.
  static void scope_sessions(const Principal& who, store::Tx& tx, store::SessionFilter& filter,
                             std::optional<Id> organisation_id);

  store::Store& store_;
};

// Page sizes are clamped to 1..200 and pages to ≥ 1.
store::PageRequest clamp(store::PageRequest page);

}  // namespace xj::service
