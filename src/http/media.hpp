// Representations other than JSON: the QR code of a link (SVG and PNG, libqrencode) and a
// lecturer's agenda as an iCalendar feed (RFC 5545).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "service/orders.hpp"

namespace xj::http {

// The QR code of `text` with a four-module quiet zone; nullopt if it does not fit a QR code.
std::optional<std::string> qr_svg(std::string_view text);
std::optional<std::string> qr_png(std::string_view text, int pixels_per_module = 8);

// VCALENDAR with one VEVENT per agenda item, times in Asia/Shanghai; CRLF lines folded at 75
// octets, text escaped. `now` stamps the events (DTSTAMP).
std::string agenda_ical(const service::Workflow::CalendarFeed& feed, UnixSeconds now);

}  // namespace xj::http
