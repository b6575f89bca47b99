#include "http/media.hpp"

#include <qrencode.h>
#include <zlib.h>

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace xj::http {
namespace {

struct Qr {
  int width = 0;
  std::vector<bool> dark;  // row-major, width × width
};

std::optional<Qr> encode(std::string_view text) {
  const std::string s(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString8bit(s.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!code) return std::nullopt;
  Qr qr;
  qr.width = code->width;
  qr.dark.resize(static_cast<std::size_t>(qr.width) * static_cast<std::size_t>(qr.width));
  for (std::size_t i = 0; i < qr.dark.size(); ++i) qr.dark[i] = (code->data[i] & 1) != 0;
  return qr;
}

constexpr int kQuiet = 4;

void put32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}

void chunk(std::string& out, const char* type, const std::string& data) {
  put32(out, static_cast<std::uint32_t>(data.size()));
  std::string body(type, 4);
  body += data;
  out += body;
  put32(out, static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()),
                                              static_cast<uInt>(body.size()))));
}

// RFC 5545 text: backslash, semicolon, comma and newlines escaped.
std::string escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c == '\\' || c == ';' || c == ',') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

// Folds a content line at 75 octets without splitting a UTF-8 character.
void line(std::string& out, const std::string& content) {
  std::size_t start = 0;
  std::size_t limit = 75;
  while (content.size() - start > limit) {
    std::size_t cut = start + limit;
    while (cut > start && (static_cast<unsigned char>(content[cut]) & 0xC0) == 0x80) --cut;
    out += content.substr(start, cut - start) + "\r\n ";
    start = cut;
    limit = 74;  // the leading space of a continuation counts
  }
  out += content.substr(start) + "\r\n";
}

std::string compact_date(Date d) {
  std::string iso = d.iso();
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
}

std::string compact_time(TimeOfDay t) {
  const std::string text = t.text();
  return text.substr(0, 2) + text.substr(3, 2) + "00";
}

}  // namespace

std::optional<std::string> qr_svg(std::string_view text) {
  const auto qr = encode(text);
  if (!qr) return std::nullopt;
  const int size = qr->width + 2 * kQuiet;
  std::string path;
  for (int y = 0; y < qr->width; ++y) {
    for (int x = 0; x < qr->width; ++x) {
      if (qr->dark[static_cast<std::size_t>(y) * static_cast<std::size_t>(qr->width) +
                   static_cast<std::size_t>(x)]) {
        path += "M" + std::to_string(x + kQuiet) + " " + std::to_string(y + kQuiet) + "h1v1h-1z";
      }
    }
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
         "viewBox=\"0 0 " +
         std::to_string(size) + " " + std::to_string(size) +
         "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" "
         "fill=\"#fff\"/><path fill=\"#000\" d=\"" +
         path + "\"/></svg>\n";
}

std::optional<std::string> qr_png(std::string_view text, int pixels_per_module) {
  const auto qr = encode(text);
  if (!qr) return std::nullopt;
  const int modules = qr->width + 2 * kQuiet;
  const int size = modules * pixels_per_module;
  // 8-bit greyscale, filter byte 0 before each row.
  std::string raw;
  raw.reserve(static_cast<std::size_t>(size) * static_cast<std::size_t>(size + 1));
  for (int y = 0; y < size; ++y) {
    raw.push_back(0);
    const int my = y / pixels_per_module - kQuiet;
    for (int x = 0; x < size; ++x) {
      const int mx = x / pixels_per_module - kQuiet;
      const bool dark =
          my >= 0 && my < qr->width && mx >= 0 && mx < qr->width &&
          qr->dark[static_cast<std::size_t>(my) * static_cast<std::size_t>(qr->width) +
                   static_cast<std::size_t>(mx)];
      raw.push_back(dark ? static_cast<char>(0) : static_cast<char>(0xff));
    }
  }
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::string packed(packed_size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size,
                reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()),
                Z_BEST_COMPRESSION) != Z_OK) {
    return std::nullopt;
  }
  packed.resize(packed_size);
  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string header;
  put32(header, static_cast<std::uint32_t>(size));
  put32(header, static_cast<std::uint32_t>(size));
  header += std::string("\x08\x00\x00\x00\x00",
                        5);  // depth 8, greyscale, deflate, no filter, no interlace
  chunk(png, "IHDR", header);
  chunk(png, "IDAT", packed);
  chunk(png, "IEND", "");
  return png;
}

namespace {

// An event's description in words, without the app's internal ids: what is asked, for whom,
// whom to call.
std::string event_description(const store::AgendaItem& item) {
  std::string text;
  if (item.kind == "order") {
    text = item.state == "accepted" ? "已接单的宣讲。"
                                    : "已派给您、待接单的宣讲，请在“我的日程”中接单。";
    if (!item.topic.empty()) text += "主题：" + item.topic + "。";
  } else {
    text = "已完成的宣讲。";
  }
  if (!item.audience_group_name.empty() || item.audience > 0) {
    text += "听众：" + item.audience_group_name;
    if (item.audience > 0) {
      text += (item.audience_group_name.empty() ? "" : "，") +
              std::string(item.kind == "order" ? "约 " : "共 ") + std::to_string(item.audience) +
              " 人";
    }
    text += "。";
  }
  if (!item.contact.empty()) text += "联系人：" + item.contact + "。";
  return text;
}

}  // namespace

std::string agenda_ical(const service::Workflow::CalendarFeed& feed, UnixSeconds now) {
  std::string out;
  std::string stamp = iso_instant(now);  // 2026-11-25T06:40:00Z → 20261125T064000Z
  std::string dtstamp;
  for (const char c : stamp) {
    if (c != '-' && c != ':') dtstamp += c;
  }
  line(out, "BEGIN:VCALENDAR");
  line(out, "VERSION:2.0");
  line(out, "PRODID:-//Xuanjiang//Lecture agenda//ZH");
  line(out, "CALSCALE:GREGORIAN");
  line(out, "X-WR-CALNAME:" + escape("宣讲日程 · " + feed.lecturer_name));
  line(out, "X-WR-TIMEZONE:Asia/Shanghai");
  // China keeps UTC+8 all year: one standard component is the whole zone.
  line(out, "BEGIN:VTIMEZONE");
  line(out, "TZID:Asia/Shanghai");
  line(out, "BEGIN:STANDARD");
  line(out, "DTSTART:19700101T000000");
  line(out, "TZOFFSETFROM:+0800");
  line(out, "TZOFFSETTO:+0800");
  line(out, "TZNAME:CST");
  line(out, "END:STANDARD");
  line(out, "END:VTIMEZONE");
  for (const auto& item : feed.items) {
    line(out, "BEGIN:VEVENT");
    line(out, "UID:" + item.kind + "-" + std::to_string(item.id) + "@xuanjiang");
    line(out, "DTSTAMP:" + dtstamp);
    if (item.start) {
      const TimeOfDay end = item.end.value_or(
          TimeOfDay::from_minutes(std::min(item.start->minutes() + 120, 23 * 60 + 59)));
      line(out, "DTSTART;TZID=Asia/Shanghai:" + compact_date(item.date) + "T" +
                    compact_time(*item.start));
      line(out, "DTEND;TZID=Asia/Shanghai:" + compact_date(item.date) + "T" + compact_time(end));
    } else {
      line(out, "DTSTART;VALUE=DATE:" + compact_date(item.date));
      line(out, "DTEND;VALUE=DATE:" + compact_date(item.date.plus_days(1)));
    }
    const bool order = item.kind == "order";
    line(out, "SUMMARY:" + escape((order ? "宣讲（" + item.organisation + "）" : item.title)));
    // Where, as a driver needs it: the venue, the union that hosts, then league and county.
    std::string where = item.place;
    auto add = [&where](const std::string& part) {
      if (part.empty()) return;
      if (!where.empty()) where += "，";
      where += part;
    };
    add(item.organisation);
    add(item.league_name.empty() ? item.region_name : item.league_name + item.region_name);
    line(out, "LOCATION:" + escape(where));
    line(out, "DESCRIPTION:" + escape(event_description(item)));
    line(out, std::string("STATUS:") +
                  (order && item.state == "dispatched" ? "TENTATIVE" : "CONFIRMED"));
    // A lecture still ahead rings the evening before (20:00 Beijing time = 12:00 UTC), when a
    // lecturer can still look up the way and pack.
    if (order) {
      line(out, "BEGIN:VALARM");
      line(out, "ACTION:DISPLAY");
      line(out, "DESCRIPTION:" + escape("明天宣讲：" + item.organisation));
      line(out, "TRIGGER;VALUE=DATE-TIME:" + compact_date(item.date.plus_days(-1)) + "T120000Z");
      line(out, "END:VALARM");
    }
    line(out, "END:VEVENT");
  }
  line(out, "END:VCALENDAR");
  return out;
}

}  // namespace xj::http
