// Config and the strata.toml reader (see strata/migrate/config.hpp).
#include "strata/migrate/config.hpp"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "strata/migrate/script.hpp"

namespace strata::migrate {

std::ostream& Config::output() const { return out != nullptr ? *out : std::cout; }

const ScriptDirectory& Config::script_directory() const {
  return scripts != nullptr ? *scripts : ScriptDirectory::global();
}

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

[[noreturn]] void bad_line(const std::filesystem::path& file, int line, const std::string& why) {
  throw ConfigError(file.string() + ":" + std::to_string(line) + ": " + why);
}

}  // namespace

std::map<std::string, std::string> read_config_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw ConfigError("cannot read config file '" + file.string() + "'");
  std::map<std::string, std::string> keys;
  std::string text;
  int lineno = 0;
  while (std::getline(in, text)) {
    ++lineno;
    std::size_t i = 0;
    auto skip = [&] {
      while (i < text.size() && is_blank(text[i])) ++i;
    };
    skip();
    if (i == text.size() || text[i] == '#') continue;
    if (text[i] == '[') continue;  // a [table] header: accepted, ignored
    std::size_t start = i;
    while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) != 0 || text[i] == '_' ||
                               text[i] == '-' || text[i] == '.'))
      ++i;
    std::string key = text.substr(start, i - start);
    if (key.empty()) bad_line(file, lineno, "expected key = \"value\"");
    skip();
    if (i == text.size() || text[i] != '=') bad_line(file, lineno, "expected '=' after key '" + key + "'");
    ++i;
    skip();
    if (i == text.size() || (text[i] != '"' && text[i] != '\''))
      bad_line(file, lineno, "the value of '" + key + "' must be a quoted string");
    const char quote = text[i++];
    std::string value;
    bool closed = false;
    while (i < text.size()) {
      char c = text[i++];
      if (c == quote) {
        closed = true;
        break;
      }
      if (c == '\\' && quote == '"') {
        if (i == text.size()) break;
        char e = text[i++];
        switch (e) {
          case 'n': value += '\n'; break;
          case 't': value += '\t'; break;
          case '"': value += '"'; break;
          case '\\': value += '\\'; break;
          default: bad_line(file, lineno, std::string("unknown escape '\\") + e + "'");
        }
        continue;
      }
      value += c;
    }
    if (!closed) bad_line(file, lineno, "unterminated string");
    skip();
    if (i < text.size() && text[i] != '#') bad_line(file, lineno, "unexpected text after the value");
    keys[key] = value;
  }
  return keys;
}

Config load_config(const std::filesystem::path& dir, Config base) {
  base.script_location = dir;
  std::error_code ec;
  if (std::filesystem::exists(base.config_file(), ec)) {
    auto keys = read_config_file(base.config_file());
    if (auto it = keys.find("url"); it != keys.end()) base.url = it->second;
    if (auto it = keys.find("version_table"); it != keys.end()) base.version_table = it->second;
  }
  if (const char* env = std::getenv("DATABASE_URL"); env != nullptr && *env != '\0') base.url = env;
  return base;
}

}  // namespace strata::migrate
