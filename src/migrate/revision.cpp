// Revision graph (see strata/migrate/revision.hpp). Behaviour follows Alembic's
// script/revision.py; the implementation is index-based so that every query is
// linear (or n log n) in the size of the graph: a 5000-revision history is
// walked in milliseconds.
#include "strata/migrate/revision.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <random>
#include <unordered_map>

namespace strata::migrate {

namespace {

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += sep;
    out += items[i];
  }
  return out;
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

bool is_reserved(std::string_view s) { return s == "head" || s == "heads" || s == "base"; }

// '@' separates a branch label from a target and '+' / '-' introduce relative
// steps, so none can appear in an id or a label (Alembic forbids the same).
void check_name(std::string_view name, std::string_view what, std::string_view owner) {
  if (name.empty()) {
    throw RevisionError(std::string(what) + " must not be empty" +
                        (owner.empty() ? std::string() : " (in revision " + quoted(owner) + ")"));
  }
  if (name.find_first_of("@+-") != std::string_view::npos) {
    throw RevisionError(std::string(what) + " " + quoted(name) +
                        " must not contain '@', '+' or '-'");
  }
  if (is_reserved(name)) {
    throw RevisionError(std::string(what) + " " + quoted(name) +
                        " is reserved ('head', 'heads' and 'base' are targets)");
  }
}

void push_unique(std::vector<std::size_t>& v, std::size_t x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

}  // namespace

// ---------------------------------------------------------------- errors

MultipleHeads::MultipleHeads(std::vector<std::string> heads, std::string argument, Location where)
    : RevisionError("Multiple heads are present" +
                        (argument.empty() ? std::string() : " for " + quoted(argument)) + ": " +
                        join(heads) + "; specify a head or use 'heads'",
                    where),
      heads_(std::move(heads)), argument_(std::move(argument)) {}

CycleDetected::CycleDetected(std::vector<std::string> revisions, Location where)
    : RevisionError("Cycle is detected in revisions: " + join(revisions), where),
      revisions_(std::move(revisions)) {}

UnknownRevision::UnknownRevision(std::string revision, std::string referenced_by,
                                 std::string_view field, Location where)
    : RevisionError(referenced_by.empty()
                        ? "No such revision or branch " + quoted(revision)
                        : "Revision " + quoted(referenced_by) + " has unknown " +
                              std::string(field) + " " + quoted(revision),
                    where),
      revision_(std::move(revision)), referenced_by_(std::move(referenced_by)) {}

AmbiguousRevision::AmbiguousRevision(std::string prefix, std::vector<std::string> candidates,
                                     Location where)
    : RevisionError("Multiple revisions start with " + quoted(prefix) + ": " + join(candidates),
                    where),
      prefix_(std::move(prefix)), candidates_(std::move(candidates)) {}

DuplicateRevision::DuplicateRevision(std::string revision, Location where)
    : RevisionError("Revision " + quoted(revision) + " is present more than once", where),
      revision_(std::move(revision)) {}

DuplicateBranchLabel::DuplicateBranchLabel(std::string label, std::vector<std::string> revisions,
                                           std::string message, Location where)
    : RevisionError(message, where), label_(std::move(label)), revisions_(std::move(revisions)) {}

RangeNotAncestor::RangeNotAncestor(std::string lower, std::string upper, Location where)
    : RevisionError("Revision " + (lower.empty() ? std::string("base") : quoted(lower)) +
                        " is not an ancestor of revision " +
                        (upper.empty() ? std::string("base") : quoted(upper)),
                    where),
      lower_(std::move(lower)), upper_(std::move(upper)) {}

// ---------------------------------------------------------------- building

RevisionMap::RevisionMap(std::vector<Revision> revisions) : revisions_(std::move(revisions)) {
  const std::size_t n = revisions_.size();
  nodes_.resize(n);

  for (std::size_t i = 0; i < n; ++i) {
    const Revision& r = revisions_[i];
    check_name(r.id, "revision id", {});
    if (!by_id_.emplace(r.id, i).second) throw DuplicateRevision(r.id);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const Revision& r = revisions_[i];
    for (const std::string& label : r.branch_labels) {
      check_name(label, "branch label", r.id);
      if (auto it = by_id_.find(label); it != by_id_.end()) {
        throw DuplicateBranchLabel(label, {r.id, label},
                                   "Branch label " + quoted(label) + " of revision " +
                                       quoted(r.id) + " is also a revision id");
      }
      auto [it, inserted] = labels_.emplace(label, i);
      if (!inserted && it->second != i) {
        const std::string& other = revisions_[it->second].id;
        throw DuplicateBranchLabel(label, {other, r.id},
                                   "Branch label " + quoted(label) + " is used by revisions " +
                                       quoted(other) + " and " + quoted(r.id));
      }
    }
  }
  // Edges. A label is accepted in depends_on (as Alembic does), not in down_revisions.
  for (std::size_t i = 0; i < n; ++i) {
    const Revision& r = revisions_[i];
    Node& node = nodes_[i];
    for (const std::string& down : r.down_revisions) {
      auto it = by_id_.find(down);
      if (it == by_id_.end()) throw UnknownRevision(down, r.id, "down_revision");
      push_unique(node.parents, it->second);
    }
    node.after = node.parents;
    for (const std::string& dep : r.depends_on) {
      auto it = by_id_.find(dep);
      if (it == by_id_.end()) it = labels_.find(dep);
      if (it == labels_.end()) throw UnknownRevision(dep, r.id, "depends_on");
      push_unique(node.after, it->second);
    }
  }
  // Iterating children in increasing i keeps children / before in input order.
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t p : nodes_[i].parents) nodes_[p].children.push_back(i);
    for (std::size_t p : nodes_[i].after) nodes_[p].before.push_back(i);
  }

  // Topological order: Kahn's algorithm with a stack, so that the children made
  // ready by the revision just placed are placed next (a branch stays
  // contiguous, as `history` wants), ties broken by input order.
  std::vector<std::size_t> pending(n);
  std::vector<std::size_t> stack;
  for (std::size_t i = 0; i < n; ++i) pending[i] = nodes_[i].after.size();
  for (std::size_t i = n; i-- > 0;) {
    if (pending[i] == 0) stack.push_back(i);
  }
  topo_.reserve(n);
  std::vector<std::size_t> ready;
  while (!stack.empty()) {
    const std::size_t u = stack.back();
    stack.pop_back();
    topo_.push_back(u);
    ready.clear();
    for (std::size_t v : nodes_[u].before) {
      if (--pending[v] == 0) ready.push_back(v);
    }
    stack.insert(stack.end(), ready.rbegin(), ready.rend());
  }
  if (topo_.size() != n) {
    // Every unplaced revision still waits for an unplaced parent, so following
    // such parents from the earliest unplaced revision must loop: report exactly
    // that loop (not the revisions that merely descend from it).
    std::size_t cur = 0;
    while (pending[cur] == 0) ++cur;
    std::unordered_map<std::size_t, std::size_t> seen;  // index -> position in path
    std::vector<std::size_t> path;
    while (seen.emplace(cur, path.size()).second) {
      path.push_back(cur);
      for (std::size_t p : nodes_[cur].after) {
        if (pending[p] != 0) {
          cur = p;
          break;
        }
      }
    }
    std::vector<std::string> cycle;
    for (std::size_t k = seen[cur]; k < path.size(); ++k) cycle.push_back(revisions_[path[k]].id);
    throw CycleDetected(std::move(cycle));
  }
  topo_pos_.resize(n);
  for (std::size_t k = 0; k < n; ++k) topo_pos_[topo_[k]] = k;
}

// ---------------------------------------------------------------- lookups

const Revision* RevisionMap::find(std::string_view id) const noexcept {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &revisions_[it->second];
}

std::size_t RevisionMap::lookup(std::string_view symbol) const {
  if (auto it = by_id_.find(symbol); it != by_id_.end()) return it->second;
  if (auto it = labels_.find(symbol); it != labels_.end()) return it->second;
  // Partial id: the ids starting with `symbol` are contiguous in the sorted map.
  std::vector<std::string> candidates;
  std::size_t found = npos;
  if (!symbol.empty()) {
    for (auto it = by_id_.lower_bound(symbol);
         it != by_id_.end() && std::string_view(it->first).starts_with(symbol); ++it) {
      candidates.push_back(it->first);
      found = it->second;
    }
  }
  if (candidates.empty()) throw UnknownRevision(std::string(symbol));
  if (candidates.size() > 1) throw AmbiguousRevision(std::string(symbol), std::move(candidates));
  return found;
}

std::size_t RevisionMap::index_of(std::string_view target) const {
  std::vector<std::size_t> r = resolve_indices(target, {});
  if (r.size() > 1) {
    std::vector<std::string> ids;
    for (std::size_t i : r) ids.push_back(revisions_[i].id);
    throw MultipleHeads(std::move(ids), std::string(target));
  }
  return r.empty() ? npos : r.front();
}

const Revision* RevisionMap::get(std::string_view id_or_target) const {
  std::size_t i = index_of(id_or_target);
  return i == npos ? nullptr : &revisions_[i];
}

std::vector<const Revision*> RevisionMap::pointers(const std::vector<std::size_t>& indices) const {
  std::vector<const Revision*> out;
  out.reserve(indices.size());
  for (std::size_t i : indices) out.push_back(&revisions_[i]);
  return out;
}

std::vector<const Revision*> RevisionMap::heads() const {
  std::vector<const Revision*> out;
  for (std::size_t i : topo_) {
    if (nodes_[i].children.empty()) out.push_back(&revisions_[i]);
  }
  return out;
}

std::vector<const Revision*> RevisionMap::bases() const {
  std::vector<const Revision*> out;
  for (std::size_t i : topo_) {
    if (nodes_[i].parents.empty()) out.push_back(&revisions_[i]);
  }
  return out;
}

std::vector<const Revision*> RevisionMap::branch_points() const {
  std::vector<const Revision*> out;
  for (std::size_t i : topo_) {
    if (nodes_[i].children.size() > 1) out.push_back(&revisions_[i]);
  }
  return out;
}

std::vector<const Revision*> RevisionMap::merge_points() const {
  std::vector<const Revision*> out;
  for (std::size_t i : topo_) {
    if (nodes_[i].parents.size() > 1) out.push_back(&revisions_[i]);
  }
  return out;
}

// Marks the revisions reachable from `from`, toward children (descendants) or
// toward parents (ancestors), through down_revisions only or through
// depends_on as well.
std::vector<char> RevisionMap::closure(const std::vector<std::size_t>& from, bool toward_children,
                                       bool all_edges, bool inclusive) const {
  std::vector<char> mark(revisions_.size(), 0);
  std::vector<std::size_t> todo;
  auto edges = [&](std::size_t i) -> const std::vector<std::size_t>& {
    const Node& node = nodes_[i];
    if (toward_children) return all_edges ? node.before : node.children;
    return all_edges ? node.after : node.parents;
  };
  for (std::size_t s : from) {
    if (inclusive) {
      if (!mark[s]) {
        mark[s] = 1;
        todo.push_back(s);
      }
    } else {
      todo.push_back(s);
    }
  }
  while (!todo.empty()) {
    const std::size_t u = todo.back();
    todo.pop_back();
    for (std::size_t v : edges(u)) {
      if (!mark[v]) {
        mark[v] = 1;
        todo.push_back(v);
      }
    }
  }
  return mark;
}

std::vector<const Revision*> RevisionMap::in_topo_order(const std::vector<char>& marked,
                                                        bool reverse) const {
  std::vector<const Revision*> out;
  if (reverse) {
    for (auto it = topo_.rbegin(); it != topo_.rend(); ++it) {
      if (marked[*it]) out.push_back(&revisions_[*it]);
    }
  } else {
    for (std::size_t i : topo_) {
      if (marked[i]) out.push_back(&revisions_[i]);
    }
  }
  return out;
}

// Heads reachable (through down_revisions) from a labelled revision.
std::vector<std::size_t> RevisionMap::heads_from(std::size_t labelled) const {
  std::vector<char> mark = closure({labelled}, true, false, true);
  std::vector<std::size_t> out;
  for (std::size_t i : topo_) {
    if (mark[i] && nodes_[i].children.empty()) out.push_back(i);
  }
  return out;
}

// A branch is the labelled revision, its descendants and its ancestors (the
// history it was built on), through down_revisions.
std::vector<char> RevisionMap::on_branch(std::size_t labelled) const {
  std::vector<char> mark = closure({labelled}, true, false, true);
  std::vector<char> up = closure({labelled}, false, false, false);
  for (std::size_t i = 0; i < mark.size(); ++i) mark[i] = static_cast<char>(mark[i] | up[i]);
  return mark;
}

const Revision* RevisionMap::get_current_head(std::string_view branch_label) const {
  std::vector<std::size_t> hs;
  if (branch_label.empty()) {
    for (std::size_t i : topo_) {
      if (nodes_[i].children.empty()) hs.push_back(i);
    }
  } else {
    hs = heads_from(lookup(branch_label));
  }
  if (hs.empty()) return nullptr;
  if (hs.size() > 1) {
    std::vector<std::string> ids;
    for (std::size_t i : hs) ids.push_back(revisions_[i].id);
    throw MultipleHeads(std::move(ids), branch_label.empty()
                                            ? std::string()
                                            : std::string(branch_label) + "@head");
  }
  return &revisions_[hs.front()];
}

std::vector<std::size_t> RevisionMap::current_indices(const std::vector<std::string>& current) const {
  std::vector<std::size_t> out;
  for (const std::string& c : current) {
    if (c.empty() || c == "base") continue;
    push_unique(out, lookup(c));
  }
  return out;
}

// ---------------------------------------------------------------- targets

// One relative step at a time through down_revisions; npos is base. Up from
// base means to the (single) base revision.
std::size_t RevisionMap::walk(std::size_t start, long steps, const std::vector<char>* branch,
                              std::string_view target) const {
  std::size_t cur = start;
  auto name = [&](std::size_t i) { return i == npos ? std::string("base") : quoted(revisions_[i].id); };
  for (long k = 0; k < steps; ++k) {  // upward
    std::vector<std::size_t> next;
    if (cur == npos) {
      for (std::size_t i : topo_) {
        if (nodes_[i].parents.empty()) next.push_back(i);
      }
    } else {
      next = nodes_[cur].children;
    }
    if (branch != nullptr) {
      std::erase_if(next, [&](std::size_t i) { return !(*branch)[i]; });
    }
    if (next.empty()) {
      throw RevisionError("Relative revision " + quoted(target) + " goes past head " + name(cur));
    }
    if (next.size() > 1) {
      std::vector<std::string> ids;
      for (std::size_t i : next) ids.push_back(revisions_[i].id);
      throw RevisionError("Ambiguous walk for " + quoted(target) + ": " + name(cur) +
                          " is followed by " + join(ids) + "; name a revision or a branch label");
    }
    cur = next.front();
  }
  for (long k = 0; k > steps; --k) {  // downward
    if (cur == npos) {
      throw RevisionError("Relative revision " + quoted(target) + " goes past base");
    }
    const std::vector<std::size_t>& parents = nodes_[cur].parents;
    if (parents.size() > 1) {
      std::vector<std::string> ids;
      for (std::size_t i : parents) ids.push_back(revisions_[i].id);
      throw RevisionError("Ambiguous walk for " + quoted(target) + ": " + name(cur) +
                          " is a merge point of " + join(ids) + "; name a revision");
    }
    cur = parents.empty() ? npos : parents.front();
  }
  return cur;
}

std::vector<std::size_t> RevisionMap::resolve_indices(std::string_view target,
                                                      const std::vector<std::string>& current) const {
  // Grammar: [label '@'] [symbol] [('+' | '-') digits]
  std::string_view rest = target;
  std::string_view label;
  if (auto at = rest.find('@'); at != std::string_view::npos) {
    label = rest.substr(0, at);
    rest = rest.substr(at + 1);
    if (label.empty()) throw UnknownRevision(std::string(target));
  }
  std::string_view symbol = rest;
  bool relative = false;
  long steps = 0;
  if (auto sign = rest.find_last_of("+-"); sign != std::string_view::npos) {
    std::string_view digits = rest.substr(sign + 1);
    unsigned long count = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
    if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size() ||
        count > 1'000'000'000UL) {
      throw UnknownRevision(std::string(target));
    }
    relative = true;
    steps = static_cast<long>(count);
    if (rest[sign] == '-') steps = -steps;
    symbol = rest.substr(0, sign);
  }

  std::size_t labelled = npos;
  std::vector<char> branch;
  if (!label.empty()) {
    labelled = lookup(label);
    branch = on_branch(labelled);
  }
  const std::vector<char>* branch_ptr = label.empty() ? nullptr : &branch;

  auto several = [&](const std::vector<std::size_t>& idx) {
    std::vector<std::string> ids;
    for (std::size_t i : idx) ids.push_back(revisions_[i].id);
    return MultipleHeads(std::move(ids), std::string(target));
  };

  std::vector<std::size_t> start;  // empty = base
  if (symbol.empty()) {
    if (!relative) {
      if (label.empty()) throw UnknownRevision(std::string(target));
      return {labelled};  // "label@" = the labelled revision
    }
    // "+N" / "-N" / "label@+N": from the current head (on that branch).
    start = current_indices(current);
    if (branch_ptr != nullptr) std::erase_if(start, [&](std::size_t i) { return !branch[i]; });
    if (start.size() > 1) throw several(start);
  } else if (symbol == "heads" || symbol == "head") {
    if (label.empty()) {
      for (std::size_t i : topo_) {
        if (nodes_[i].children.empty()) start.push_back(i);
      }
    } else {
      start = heads_from(labelled);
    }
    if (symbol == "heads" && !relative) return start;
    if (start.size() > 1) throw several(start);
  } else if (symbol == "base") {
    if (!label.empty()) {
      throw RevisionError("Target " + quoted(target) +
                          " is not supported; name the revision to downgrade to");
    }
  } else {
    std::size_t i = lookup(symbol);
    if (branch_ptr != nullptr && !branch[i]) {
      throw RevisionError("Revision " + quoted(revisions_[i].id) + " is not on branch " +
                          quoted(label));
    }
    start = {i};
  }
  if (!relative) return start;
  std::size_t end = walk(start.empty() ? npos : start.front(), steps, branch_ptr, target);
  if (end == npos) return {};
  return {end};
}

std::vector<const Revision*> RevisionMap::resolve(std::string_view target,
                                                  const std::vector<std::string>& current) const {
  return pointers(resolve_indices(target, current));
}

// ---------------------------------------------------------------- walking

std::vector<const Revision*> RevisionMap::upgrade_path(const std::vector<std::string>& current_heads,
                                                       std::string_view target) const {
  const std::vector<std::size_t> current = current_indices(current_heads);
  const std::vector<std::size_t> targets = resolve_indices(target, current_heads);
  if (targets.empty() && !current.empty()) throw RangeNotAncestor(revisions_[current.front()].id, {});
  // A target strictly below a current head is a downgrade, not a no-op.
  // down_revisions only: a head that a current revision merely depends on may
  // still be asked for by "heads".
  const std::vector<char> below = closure(current, false, false, false);
  for (std::size_t t : targets) {
    if (below[t] && std::find(current.begin(), current.end(), t) == current.end()) {
      const std::vector<char> above = closure({t}, true, false, false);
      std::string head;
      for (std::size_t c : current) {
        if (above[c]) {
          head = revisions_[c].id;
          break;
        }
      }
      throw RangeNotAncestor(head, revisions_[t].id);
    }
  }
  std::vector<char> todo = closure(targets, false, true, true);
  const std::vector<char> applied = closure(current, false, true, true);
  for (std::size_t i = 0; i < todo.size(); ++i) {
    if (applied[i]) todo[i] = 0;
  }
  return in_topo_order(todo, false);
}

std::vector<const Revision*> RevisionMap::downgrade_path(
    const std::vector<std::string>& current_heads, std::string_view target) const {
  const std::vector<std::size_t> current = current_indices(current_heads);
  const std::vector<std::size_t> targets = resolve_indices(target, current_heads);
  std::vector<char> undo = closure(current, false, true, true);  // applied
  if (!targets.empty()) {
    for (std::size_t t : targets) {
      if (!undo[t]) {
        std::vector<std::string> ids;
        for (std::size_t c : current) ids.push_back(revisions_[c].id);
        throw RangeNotAncestor(revisions_[t].id, join(ids));
      }
    }
    // Keep the targets and everything they need; unapply what depends on them.
    const std::vector<char> above = closure(targets, true, true, false);
    for (std::size_t i = 0; i < undo.size(); ++i) undo[i] = static_cast<char>(undo[i] & above[i]);
  }
  return in_topo_order(undo, true);
}

// ---------------------------------------------------------------- queries

bool RevisionMap::is_ancestor(std::string_view ancestor, std::string_view descendant) const {
  const std::size_t a = lookup(ancestor);
  const std::size_t d = lookup(descendant);
  return closure({d}, false, true, false)[a] != 0;
}

std::vector<const Revision*> RevisionMap::ancestors(std::string_view id) const {
  std::size_t i = index_of(id);
  if (i == npos) return {};
  return in_topo_order(closure({i}, false, true, false), false);
}

std::vector<const Revision*> RevisionMap::descendants(std::string_view id) const {
  std::size_t i = index_of(id);
  if (i == npos) return pointers(topo_);  // everything descends from base
  return in_topo_order(closure({i}, true, true, false), false);
}

std::vector<const Revision*> RevisionMap::children(std::string_view id) const {
  std::size_t i = index_of(id);
  if (i == npos) {
    std::vector<std::size_t> b;
    for (std::size_t k = 0; k < nodes_.size(); ++k) {
      if (nodes_[k].parents.empty()) b.push_back(k);
    }
    return pointers(b);
  }
  return pointers(nodes_[i].children);
}

std::vector<const Revision*> RevisionMap::topological_order() const { return pointers(topo_); }

std::vector<std::string> RevisionMap::history_order() const {
  std::vector<std::string> out;
  out.reserve(topo_.size());
  for (auto it = topo_.rbegin(); it != topo_.rend(); ++it) out.push_back(revisions_[*it].id);
  return out;
}

// ---------------------------------------------------------------- ids

std::string new_revision_id() {
  thread_local std::mt19937_64 engine = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  static constexpr char digits[] = "0123456789abcdef";
  std::uint64_t bits = engine();
  std::string id(12, '0');
  for (char& c : id) {
    c = digits[bits & 0xF];
    bits >>= 4;
  }
  return id;
}

}  // namespace strata::migrate
