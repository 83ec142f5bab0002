-- Every published share and rate, from every mart that holds one: one row per share.
select
    document_id,
    'nationality shares of ' || population || ', ' || window_type as family,
    nationality_code as subject,
    cast(share_pct as double) as value_pct
from marts.fct_nationality_shares
union all
select
    document_id,
    'grant rates' as family,
    nationality_code as subject,
    cast(grant_rate_pct as double) as value_pct
from marts.fct_grant_rates
union all
select
    document_id,
    'departures of ' || population || ' under supervision' as family,
    cast(reference_month as varchar) as subject,
    cast(supervised_share_pct as double) as value_pct
from marts.fct_departures
union all
select
    document_id,
    'departures of ' || population || ' on their own' as family,
    cast(reference_month as varchar) as subject,
    cast(unsupervised_share_pct as double) as value_pct
from marts.fct_departures
union all
select
    document_id,
    'safe-country share' as family,
    cast(reference_month as varchar) as subject,
    cast(safe_country_share_pct as double) as value_pct
from marts.fct_asylum_inflow_monthly
union all
select
    document_id,
    'published Dublin share' as family,
    cast(reference_month as varchar) as subject,
    cast(published_dublin_share_pct as double) as value_pct
from marts.fct_dublin_funnel
