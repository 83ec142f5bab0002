-- The publications of each reference month in the order of their vintages, and the one the marts
-- use. The order: by publication date where every publication of the month has one (between two
-- of one day, the later vintage); where any of them lacks one, by vintage, the order of ingest. The
-- day a document was ingested is never taken for its publication date. The publication ranked
-- first supplies every figure of its month (int_published_figures_ranked); each publication was
-- the published one from its publication date (`valid_from`) until the next in the order replaced
-- it (`valid_to`, exclusive). The same rule orders `kerncijfers diff` (ingest/revisions.py).
with

documents as (

    select * from {{ ref('stg_kerncijfers__source_documents') }}

),

dated as (

    select
        *,
        min(case when published_on is null then 0 else 1 end) over (partition by reference_month) = 1
            as is_month_dated

    from documents

),

ordered as (

    select
        *,
        cast(row_number() over (
            partition by reference_month
            order by case when is_month_dated then published_on end desc nulls last, vintage desc
        ) as integer) as publication_rank

    from dated

),

with_successor as (

    select
        ordered.*,
        successor.document_id as replaced_by_document_id,
        successor.published_on as replaced_by_published_on

    from ordered
    left join ordered as successor
        on
            ordered.reference_month = successor.reference_month
            and ordered.publication_rank = successor.publication_rank + 1

),

final as (

    select
        document_id,
        reference_month,
        vintage,
        published_on,
        is_month_dated,
        publication_rank,
        publication_rank = 1 as is_latest_for_month,
        replaced_by_document_id,
        published_on as valid_from,
        -- Replaced by a publication of unknown date (or, in a month ordered by ingest, by one dated
        -- before it): when it stopped being the published one is unknown, so its interval is
        -- empty (valid_to = valid_from) and an as-of query skips it.
        case
            when replaced_by_document_id is null then null
            when replaced_by_published_on is null or replaced_by_published_on < published_on then published_on
            else replaced_by_published_on
        end as valid_to

    from with_successor

)

select * from final
