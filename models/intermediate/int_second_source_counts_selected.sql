-- The second sources' counts of each month, measure and nationality side by side: IND's value as
-- first published (on the page about that month, or the earliest page giving it) and as last
-- revised (the latest page giving it), and CBS's value in the latest fetch that gives it (by
-- fetch_number). CBS's nationality categories get a code where their title is a spelling in
-- ref_nationality_labels; all nationalities together are TOTAL.
with

ind as (

    select * from {{ ref('stg_reference__ind_asylum_influx') }}

),

cbs as (

    select * from {{ ref('stg_cbs__asylum_requests') }}

),

cbs_responses as (

    select * from {{ ref('stg_cbs__responses') }}

),

labels as (

    select * from {{ ref('stg_reference__nationality_labels') }}

),

ind_ranked as (

    select
        *,
        row_number() over (
            partition by reference_month, measure_code, nationality_code
            order by page_month asc, page_updated_on asc, page_url asc
        ) as first_rank,
        row_number() over (
            partition by reference_month, measure_code, nationality_code
            order by page_month desc, page_updated_on desc, page_url desc
        ) as last_rank

    from ind

),

ind_selected as (

    select
        first_page.reference_month,
        first_page.measure_code,
        first_page.nationality_code,
        first_page.ind_value as ind_first_value,
        first_page.page_url as ind_first_page_url,
        first_page.page_updated_on as ind_first_page_updated_on,
        last_page.ind_value as ind_latest_value,
        last_page.page_url as ind_latest_page_url,
        last_page.page_updated_on as ind_latest_page_updated_on

    from ind_ranked as first_page
    inner join ind_ranked as last_page
        on
            first_page.reference_month = last_page.reference_month
            and first_page.measure_code = last_page.measure_code
            and first_page.nationality_code = last_page.nationality_code
            and last_page.last_rank = 1
    where first_page.first_rank = 1

),

fetches as (

    select
        fetch_id,
        max(fetch_number) as fetch_number,
        max(retrieved_at) as retrieved_at

    from cbs_responses
    group by fetch_id

),

cbs_latest as (

    -- Each value from the latest fetch that gives it: a later fetch of fewer months (--from)
    -- leaves the earlier months' values in force.
    select
        cbs.*,
        fetches.retrieved_at,
        row_number() over (
            partition by cbs.reference_month, cbs.measure_code, cbs.nationality_key
            order by fetches.fetch_number desc
        ) as fetch_rank

    from cbs
    inner join fetches
        on cbs.fetch_id = fetches.fetch_id

),

cbs_selected as (

    select
        cbs_latest.reference_month,
        cbs_latest.measure_code,
        case when cbs_latest.is_total then 'TOTAL' else labels.nationality_code end as nationality_code,
        cbs_latest.cbs_value,
        cbs_latest.fetch_id as cbs_fetch_id,
        cbs_latest.retrieved_at as cbs_retrieved_at

    from cbs_latest
    left join labels
        on cbs_latest.nationality_title_key = labels.label_key
    where cbs_latest.fetch_rank = 1

),

cbs_coded as (

    select * from cbs_selected
    where nationality_code is not null

),

joined as (

    select
        coalesce(ind_selected.reference_month, cbs_coded.reference_month) as reference_month,
        coalesce(ind_selected.measure_code, cbs_coded.measure_code) as measure_code,
        coalesce(ind_selected.nationality_code, cbs_coded.nationality_code) as nationality_code,
        ind_selected.ind_first_value,
        ind_selected.ind_first_page_url,
        ind_selected.ind_first_page_updated_on,
        ind_selected.ind_latest_value,
        ind_selected.ind_latest_page_url,
        ind_selected.ind_latest_page_updated_on,
        cbs_coded.cbs_value,
        cbs_coded.cbs_fetch_id,
        cbs_coded.cbs_retrieved_at

    from ind_selected
    full outer join cbs_coded
        on
            ind_selected.reference_month = cbs_coded.reference_month
            and ind_selected.measure_code = cbs_coded.measure_code
            and ind_selected.nationality_code = cbs_coded.nationality_code

)

select * from joined
