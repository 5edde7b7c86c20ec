// create tables users, user_types, courses, enrollments
//
// Revision ID: b02e2bcfed66
// Revises:
// Create Date: 2026-11-21 19:59:47
#include "strata/migrate/operations.hpp"
#include "strata/migrate/script.hpp"

namespace {

void upgrade(strata::migrate::Operations& op) {
    op.create_table(strata::migrate::table("user_types", {
        strata::migrate::column("user_type_id", strata::SqlType::integer(), {.nullable = false, .primary_key = true, .autoincrement = true}),
        strata::migrate::column("created_at", strata::SqlType::datetime()),
        strata::migrate::column("updated_at", strata::SqlType::datetime(), {.has_onupdate = true}),
        strata::migrate::column("name", strata::SqlType::string(50), {.nullable = false}),
    }, {
        .primary_key = strata::schema::PrimaryKeyConstraint{"pk_user_types", {"user_type_id"}},
        .unique_constraints = {
            strata::schema::UniqueConstraint{"uq_user_types_name", {"name"}},
        },
    }));
    op.create_table(strata::migrate::table("users", {
        strata::migrate::column("user_id", strata::SqlType::integer(), {.nullable = false, .primary_key = true, .autoincrement = true}),
        strata::migrate::column("first_name", strata::SqlType::string(50), {.nullable = false}),
        strata::migrate::column("last_name", strata::SqlType::string(50), {.nullable = false}),
        strata::migrate::column("email", strata::SqlType::string(100), {.nullable = false}),
        strata::migrate::column("age", strata::SqlType::integer()),
        strata::migrate::column("is_active", strata::SqlType::boolean(), {.nullable = false}),
        strata::migrate::column("created_at", strata::SqlType::datetime()),
        strata::migrate::column("updated_at", strata::SqlType::datetime(), {.has_onupdate = true}),
        strata::migrate::column("last_login", strata::SqlType::datetime(), {.has_onupdate = true}),
        strata::migrate::column("user_type_id", strata::SqlType::integer(), {.nullable = false}),
    }, {
        .primary_key = strata::schema::PrimaryKeyConstraint{"pk_users", {"user_id"}},
        .unique_constraints = {
            strata::schema::UniqueConstraint{"uq_users_email", {"email"}},
        },
        .foreign_keys = {
            strata::schema::ForeignKeyConstraint{"fk_users_user_type_id_user_types", {"user_type_id"}, "user_types", {"user_type_id"}},
        },
        .checks = {
            strata::schema::CheckConstraint{"ck_users_1", "age > 0"},
        },
    }));
    op.create_table(strata::migrate::table("courses", {
        strata::migrate::column("course_id", strata::SqlType::integer(), {.nullable = false, .primary_key = true, .autoincrement = true}),
        strata::migrate::column("name", strata::SqlType::string(100), {.nullable = false}),
        strata::migrate::column("description", strata::SqlType::string()),
        strata::migrate::column("start_date", strata::SqlType::date(), {.nullable = false}),
        strata::migrate::column("end_date", strata::SqlType::date(), {.nullable = false}),
        strata::migrate::column("created_at", strata::SqlType::datetime()),
        strata::migrate::column("updated_at", strata::SqlType::datetime(), {.has_onupdate = true}),
        strata::migrate::column("is_active", strata::SqlType::boolean(), {.nullable = false}),
    }, {
        .primary_key = strata::schema::PrimaryKeyConstraint{"pk_courses", {"course_id"}},
    }));
    op.create_table(strata::migrate::table("enrollments", {
        strata::migrate::column("enrollment_id", strata::SqlType::integer(), {.nullable = false, .primary_key = true, .autoincrement = true}),
        strata::migrate::column("enrolled_date", strata::SqlType::datetime()),
        strata::migrate::column("end_date", strata::SqlType::datetime()),
        strata::migrate::column("updated_at", strata::SqlType::datetime(), {.has_onupdate = true}),
        strata::migrate::column("associative_data", strata::SqlType::string()),
        strata::migrate::column("user_id", strata::SqlType::integer(), {.nullable = false}),
        strata::migrate::column("course_id", strata::SqlType::integer(), {.nullable = false}),
    }, {
        .primary_key = strata::schema::PrimaryKeyConstraint{"pk_enrollments", {"enrollment_id"}},
        .foreign_keys = {
            strata::schema::ForeignKeyConstraint{"fk_enrollments_user_id_users", {"user_id"}, "users", {"user_id"}},
            strata::schema::ForeignKeyConstraint{"fk_enrollments_course_id_courses", {"course_id"}, "courses", {"course_id"}},
        },
    }));
}

void downgrade(strata::migrate::Operations& op) {
    op.drop_table("enrollments", strata::migrate::table("enrollments", {
        strata::migrate::column("enrollment_id", strata::SqlType::integer(), {.nullable = false, .primary_key = true, .autoincrement = true}),
        strata::migrate::column("enrolled_date", strata::SqlType::datetime()),
        strata::migrate::column("end_date", strata::SqlType::datetime()),
        strata::migrate::column("updated_at", strata::SqlType::datetime(), {.has_onupdate = true}),
        strata::migrate::column("associative_data", strata::SqlType::string()),
        strata::migrate::column("user_id", strata::SqlType::integer(), {.nullable = false}),
        strata::migrate::column("course_id", strata::SqlType::integer(), {.nullable = false}),
    }, {
        .primary_key = strata::schema::PrimaryKeyConstraint{"pk_enrollments", {"enrollment_id"}},
        .foreign_keys = {
            strata::schema::ForeignKeyConstraint{"fk_enrollments_user_id_users", {"user_id"}, "users", {"user_id"}},
            strata::schema::ForeignKeyConstraint{"fk_enrollments_course_id_courses", {"course_id"}, "courses", {"course_id"}},
        },
    }));
    op.drop_table("courses", strata::migrate::table("courses", {
        strata::migrate::column("course_id", strata::SqlType::integer(), {.nullable = false, .primary_key = true, .autoincrement = true}),
        strata::migrate::column("name", strata::SqlType::string(100), {.nullable = false}),
        strata::migrate::column("description", strata::SqlType::string()),
        strata::migrate::column("start_date", strata::SqlType::date(), {.nullable = false}),
        strata::migrate::column("end_date", strata::SqlType::date(), {.nullable = false}),
        strata::migrate::column("created_at", strata::SqlType::datetime()),
        strata::migrate::column("updated_at", strata::SqlType::datetime(), {.has_onupdate = true}),
        strata::migrate::column("is_active", strata::SqlType::boolean(), {.nullable = false}),
    }, {
        .primary_key = strata::schema::PrimaryKeyConstraint{"pk_courses", {"course_id"}},
    }));
    op.drop_table("users", strata::migrate::table("users", {
        strata::migrate::column("user_id", strata::SqlType::integer(), {.nullable = false, .primary_key = true, .autoincrement = true}),
        strata::migrate::column("first_name", strata::SqlType::string(50), {.nullable = false}),
        strata::migrate::column("last_name", strata::SqlType::string(50), {.nullable = false}),
        strata::migrate::column("email", strata::SqlType::string(100), {.nullable = false}),
        strata::migrate::column("age", strata::SqlType::integer()),
        strata::migrate::column("is_active", strata::SqlType::boolean(), {.nullable = false}),
        strata::migrate::column("created_at", strata::SqlType::datetime()),
        strata::migrate::column("updated_at", strata::SqlType::datetime(), {.has_onupdate = true}),
        strata::migrate::column("last_login", strata::SqlType::datetime(), {.has_onupdate = true}),
        strata::migrate::column("user_type_id", strata::SqlType::integer(), {.nullable = false}),
    }, {
        .primary_key = strata::schema::PrimaryKeyConstraint{"pk_users", {"user_id"}},
        .unique_constraints = {
            strata::schema::UniqueConstraint{"uq_users_email", {"email"}},
        },
        .foreign_keys = {
            strata::schema::ForeignKeyConstraint{"fk_users_user_type_id_user_types", {"user_type_id"}, "user_types", {"user_type_id"}},
        },
        .checks = {
            strata::schema::CheckConstraint{"ck_users_1", "age > 0"},
        },
    }));
    op.drop_table("user_types", strata::migrate::table("user_types", {
        strata::migrate::column("user_type_id", strata::SqlType::integer(), {.nullable = false, .primary_key = true, .autoincrement = true}),
        strata::migrate::column("created_at", strata::SqlType::datetime()),
        strata::migrate::column("updated_at", strata::SqlType::datetime(), {.has_onupdate = true}),
        strata::migrate::column("name", strata::SqlType::string(50), {.nullable = false}),
    }, {
        .primary_key = strata::schema::PrimaryKeyConstraint{"pk_user_types", {"user_type_id"}},
        .unique_constraints = {
            strata::schema::UniqueConstraint{"uq_user_types_name", {"name"}},
        },
    }));
}

}  // namespace

STRATA_REVISION(rev_b02e2bcfed66, {.id = "b02e2bcfed66", .down_revisions = {},
                .message = "create tables users, user_types, courses, enrollments", .create_date = "2026-11-21 19:59:47"},
                upgrade, downgrade);
