"""Pages of ``orgs``: the public directory and indicators, the organisation's portal, the
staff review queues, supervision and support. Views translate; services decide."""
