-- A leaf code's list by state (issue 16, §8): one index range in id
-- order, however many newer assets of the code are in another state.
CREATE INDEX assets_code_state ON assets (tasinir_code, state, id);
