with

documents as (

    select * from {{ ref('stg_kerncijfers__source_documents') }}

),

ranked as (

    select
        *,
        -- The same order as the figures' (int_published_figures_ranked): published last wins.
        row_number() over (
            partition by reference_month
            order by coalesce(published_on, cast(ingested_at as date)) desc, vintage desc
        ) = 1 as is_latest_for_month

    from documents

),

final as (

    select
        document_id,
        reference_month,
        vintage,
        is_latest_for_month,
        title,
        publisher,
        published_on,
        sha256,
        size_bytes,
        media_type,
        stored_path,
        source_url,
        parser_version,
        ingested_at

    from ranked

)

select * from final
