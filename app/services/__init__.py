"""Use cases. Each public function owns its transaction (commits or rolls back)."""
