// initialize models
//
// Revision ID: 6f29740de1c8
// Revises:
// Create Date: 2026-11-21 20:00:13
#include "strata/migrate/operations.hpp"
#include "strata/migrate/script.hpp"

namespace {

void upgrade(strata::migrate::Operations& op) {
    op.create_table(strata::migrate::table("user", {
        strata::migrate::column("email", strata::SqlType::string(255), {.nullable = false}),
        strata::migrate::column("full_name", strata::SqlType::string(255)),
        strata::migrate::column("id", strata::SqlType::uuid(), {.nullable = false, .primary_key = true}),
        strata::migrate::column("hashed_password", strata::SqlType::string(), {.nullable = false}),
        strata::migrate::column("is_active", strata::SqlType::boolean(), {.nullable = false}),
    }, {
        .primary_key = strata::schema::PrimaryKeyConstraint{"pk_user", {"id"}},
        .unique_constraints = {
            strata::schema::UniqueConstraint{"uq_user_email", {"email"}},
        },
        .indexes = {
            strata::schema::Index{"ix_user_email", {"email"}},
        },
    }));
    op.create_table(strata::migrate::table("item", {
        strata::migrate::column("id", strata::SqlType::uuid(), {.nullable = false, .primary_key = true}),
        strata::migrate::column("title", strata::SqlType::string(255), {.nullable = false}),
        strata::migrate::column("description", strata::SqlType::string()),
        strata::migrate::column("owner_id", strata::SqlType::uuid(), {.nullable = false}),
        strata::migrate::column("is_completed", strata::SqlType::boolean(), {.nullable = false}),
    }, {
        .primary_key = strata::schema::PrimaryKeyConstraint{"pk_item", {"id"}},
        .foreign_keys = {
            strata::schema::ForeignKeyConstraint{"fk_item_owner_id_user", {"owner_id"}, "user", {"id"}, strata::schema::FkAction::Cascade},
        },
    }));
}

void downgrade(strata::migrate::Operations& op) {
    op.drop_table("item", strata::migrate::table("item", {
        strata::migrate::column("id", strata::SqlType::uuid(), {.nullable = false, .primary_key = true}),
        strata::migrate::column("title", strata::SqlType::string(255), {.nullable = false}),
        strata::migrate::column("description", strata::SqlType::string()),
        strata::migrate::column("owner_id", strata::SqlType::uuid(), {.nullable = false}),
        strata::migrate::column("is_completed", strata::SqlType::boolean(), {.nullable = false}),
    }, {
        .primary_key = strata::schema::PrimaryKeyConstraint{"pk_item", {"id"}},
        .foreign_keys = {
            strata::schema::ForeignKeyConstraint{"fk_item_owner_id_user", {"owner_id"}, "user", {"id"}, strata::schema::FkAction::Cascade},
        },
    }));
    op.drop_table("user", strata::migrate::table("user", {
        strata::migrate::column("email", strata::SqlType::string(255), {.nullable = false}),
        strata::migrate::column("full_name", strata::SqlType::string(255)),
        strata::migrate::column("id", strata::SqlType::uuid(), {.nullable = false, .primary_key = true}),
        strata::migrate::column("hashed_password", strata::SqlType::string(), {.nullable = false}),
        strata::migrate::column("is_active", strata::SqlType::boolean(), {.nullable = false}),
    }, {
        .primary_key = strata::schema::PrimaryKeyConstraint{"pk_user", {"id"}},
        .unique_constraints = {
            strata::schema::UniqueConstraint{"uq_user_email", {"email"}},
        },
        .indexes = {
            strata::schema::Index{"ix_user_email", {"email"}},
        },
    }));
}

}  // namespace

STRATA_REVISION(rev_6f29740de1c8, {.id = "6f29740de1c8", .down_revisions = {},
                .message = "initialize models", .create_date = "2026-11-21 20:00:13"},
                upgrade, downgrade);
