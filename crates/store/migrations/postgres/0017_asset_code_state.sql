-- A leaf code's list by state (issue 16, §8): one index range in id
-- order, however many newer assets of the code are in another state.
CREATE INDEX assets_code_state ON assets (tasinir_code, state, id);
-- A person's holdings read off the index alone (tag and name in it): a
-- thousand items are a few index pages, not a thousand table pages.
DROP INDEX assets_holder;
CREATE INDEX assets_holder ON assets (holder_user_id, id, tag, name) WHERE holder_user_id IS NOT NULL;
