-- Every Kerncijfers count that a second source also gives (fct_source_reconciliation), with both
-- values, the page or fetch they come from and the verdict.
with

reconciliation as (

    select * from {{ ref('fct_source_reconciliation') }}
    where document_id is not null and verdict <> 'no_second_source'

),

final as (

    select
        document_id,
        measure_code as family_code,
        nationality_code || ' ' || cast(reference_month as varchar) as subject,
        kerncijfers_count,
        kerncijfers_low,
        kerncijfers_high,
        ind_first_value,
        ind_latest_value,
        cbs_value,
        coalesce(
            case when verdict = 'differs_from_revision' then ind_latest_page_url end,
            ind_first_page_url,
            cbs_fetch_id
        ) as second_source,
        verdict

    from reconciliation

)

select * from final
