// The full-stack FastAPI template's models (seed 000, SQLModel): users and their items,
// with the API's input (ItemCreate, UserCreate) and response (UserPublic, ItemPublic) shapes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "strata/core/datetime.hpp"
#include "strata/core/uuid.hpp"
#include "strata/model/model.hpp"

namespace fullstack {

struct UserBase {
  std::string email;
  std::optional<std::string> full_name;
};
struct Item;
struct User : UserBase {
  strata::Uuid id = strata::Uuid::v4();
  std::string hashed_password;
  bool is_active = true;
  strata::Many<Item> items;  // Relationship(back_populates="owner")
};
struct Item {
  strata::Uuid id = strata::Uuid::v4();
  std::string title;
  std::optional<std::string> description;
  strata::Uuid owner_id;
  bool is_completed = false;
  strata::One<User> owner;  // Relationship(back_populates="items")
};

STRATA_MODEL(UserBase, field<&UserBase::email>().unique().index().max_length(255),
             field<&UserBase::full_name>().max_length(255));
STRATA_TABLE(User, "user", extends<UserBase>(),
             field<&User::id>().primary_key(),
             field<&User::hashed_password>(),
             field<&User::is_active>(),
             relationship<&User::items>().back_populates("owner"));
STRATA_TABLE(Item, "item",
             field<&Item::id>().primary_key(),
             field<&Item::title>().max_length(255),
             field<&Item::owner_id>().foreign_key<&User::id>().on_delete(Cascade),
             field<&Item::is_completed>().has_default(),
             relationship<&Item::owner>().back_populates("items"));

// The template's API input shapes (models.py: ItemBase/ItemCreate, UserBase/UserCreate),
// with their Field() constraints: title min_length=1 max_length=255, EmailStr,
// password min_length=8 max_length=40.
struct ItemCreate {
  std::string title;
  std::optional<std::string> description;
};
STRATA_MODEL(ItemCreate, field<&ItemCreate::title>().min_length(1).max_length(255),
             field<&ItemCreate::description>().max_length(255));

struct UserCreate {
  std::string email;
  bool is_active = true;
  bool is_superuser = false;
  std::optional<std::string> full_name;
  std::string password;
};
STRATA_MODEL(UserCreate, field<&UserCreate::email>().email().max_length(255),
             field<&UserCreate::is_superuser>().has_default(),
             field<&UserCreate::full_name>().max_length(255),
             field<&UserCreate::password>().min_length(8).max_length(40));

// The template's response shapes (models.py: UserPublic(UserBase) adds id;
// ItemPublic(ItemBase) adds id and owner_id), through extends<>(). ItemBase is
// the template's shared base (title, description) with its Field() rules; this
// file's ItemCreate keeps its own members (tests aggregate-initialize it).
struct UserPublic : UserBase {
  strata::Uuid id;
};
STRATA_MODEL(UserPublic, extends<UserBase>(), field<&UserPublic::id>());

struct ItemBase {
  std::string title;
  std::optional<std::string> description;
};
STRATA_MODEL(ItemBase, field<&ItemBase::title>().min_length(1).max_length(255),
             field<&ItemBase::description>().max_length(255));
struct ItemPublic : ItemBase {
  strata::Uuid id;
  strata::Uuid owner_id;
};
STRATA_MODEL(ItemPublic, extends<ItemBase>(), field<&ItemPublic::id>(), field<&ItemPublic::owner_id>());

}  // namespace fullstack
