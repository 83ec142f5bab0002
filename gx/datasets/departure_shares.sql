-- One row per month and population of departures: the two shares and how far their sum is
-- from 100.
select
    document_id,
    'departures of ' || population as family,
    cast(reference_month as varchar) as month,
    cast(supervised_share_pct as double) as supervised_pct,
    cast(unsupervised_share_pct as double) as unsupervised_pct,
    cast(abs(supervised_share_pct + unsupervised_share_pct - 100) as double) as deviation_from_100_pct
from marts.fct_departures
