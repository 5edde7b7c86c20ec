// migrate/operations.cpp - Operations: records ops (Alembic's `op`).
#include "strata/migrate/operations.hpp"

namespace strata::migrate {

schema::Column column(std::string name, SqlType type, ColumnOptions o) {
  schema::Column c;
  c.name = std::move(name);
  c.type = std::move(type);
  c.nullable = o.nullable;
  c.primary_key = o.primary_key;
  c.autoincrement = o.autoincrement;
  c.server_default = std::move(o.server_default);
  c.has_onupdate = o.has_onupdate;
  c.comment = std::move(o.comment);
  return c;
}

schema::Table table(std::string name, std::vector<schema::Column> columns, TableOptions o) {
  schema::Table t;
  t.name = std::move(name);
  t.columns = std::move(columns);
  t.primary_key = std::move(o.primary_key);
  t.unique_constraints = std::move(o.unique_constraints);
  t.foreign_keys = std::move(o.foreign_keys);
  t.checks = std::move(o.checks);
  t.indexes = std::move(o.indexes);
  return t;
}

void Operations::create_table(schema::Table table, bool if_not_exists) {
  ops_.push_back(ops::CreateTable{std::move(table), if_not_exists});
}
void Operations::drop_table(std::string name, std::optional<schema::Table> table, bool if_exists) {
  ops_.push_back(ops::DropTable{std::move(name), std::move(table), if_exists});
}
void Operations::rename_table(std::string old_name, std::string new_name) {
  ops_.push_back(ops::RenameTable{std::move(old_name), std::move(new_name)});
}
void Operations::add_column(std::string table, schema::Column column) {
  ops_.push_back(ops::AddColumn{std::move(table), std::move(column)});
}
void Operations::drop_column(std::string table, std::string column, std::optional<schema::Column> existing) {
  ops_.push_back(ops::DropColumn{std::move(table), std::move(column), std::move(existing)});
}
void Operations::alter_column(std::string table, std::string column, AlterColumnOptions o) {
  ops_.push_back(ops::AlterColumn{std::move(table), std::move(column), std::move(o.type), o.nullable,
                                  std::move(o.server_default), std::move(o.new_column_name),
                                  std::move(o.existing_type), o.existing_nullable,
                                  std::move(o.existing_server_default), std::move(o.postgresql_using)});
}
void Operations::create_index(std::string name, std::string table, std::vector<std::string> columns,
                              IndexOptions opts) {
  ops_.push_back(ops::CreateIndex{std::move(table), schema::Index{std::move(name), std::move(columns), opts.unique},
                                  opts.if_not_exists, opts.postgresql_concurrently});
}
void Operations::drop_index(std::string name, std::string table, std::optional<schema::Index> existing,
                            bool if_exists, bool postgresql_concurrently) {
  ops_.push_back(
      ops::DropIndex{std::move(table), std::move(name), std::move(existing), if_exists, postgresql_concurrently});
}
void Operations::create_unique_constraint(std::string name, std::string table, std::vector<std::string> columns) {
  ops_.push_back(ops::CreateUniqueConstraint{std::move(table), {std::move(name), std::move(columns)}});
}
void Operations::create_foreign_key(std::string name, std::string source_table, std::string referent_table,
                                    std::vector<std::string> local_cols, std::vector<std::string> remote_cols,
                                    ForeignKeyOptions opts) {
  ops_.push_back(ops::CreateForeignKey{
      std::move(source_table),
      {std::move(name), std::move(local_cols), std::move(referent_table), std::move(remote_cols), opts.ondelete,
       opts.onupdate}});
}
void Operations::create_check_constraint(std::string name, std::string table, std::string condition) {
  ops_.push_back(ops::CreateCheckConstraint{std::move(table), {std::move(name), std::move(condition)}});
}
void Operations::create_primary_key(std::string name, std::string table, std::vector<std::string> columns) {
  ops_.push_back(ops::CreatePrimaryKey{std::move(table), {std::move(name), std::move(columns)}});
}
void Operations::drop_constraint(std::string name, std::string table, ops::ConstraintKind type,
                                 std::optional<ops::AnyConstraint> existing) {
  ops_.push_back(ops::DropConstraint{std::move(table), std::move(name), type, std::move(existing)});
}
void Operations::execute(std::string sql, std::vector<Value> params, std::optional<std::string> reverse_sql) {
  ops_.push_back(ops::Execute{std::move(sql), std::move(params), std::move(reverse_sql)});
}
void Operations::bulk_insert(std::string table, std::vector<std::string> columns,
                             std::vector<std::vector<Value>> rows) {
  ops_.push_back(ops::BulkInsert{std::move(table), std::move(columns), std::move(rows)});
}
void Operations::run_callable(std::string name, std::function<void(engine::Connection&)> upgrade,
                              std::function<void(engine::Connection&)> downgrade) {
  ops_.push_back(ops::RunCallable{std::move(name), std::move(upgrade), std::move(downgrade)});
}

}  // namespace strata::migrate
